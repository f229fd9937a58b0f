'use strict';
// The `auto` choice: the best allowed mode the browser supports, down the ladder when a connection
// fails while plain requests work (a refused upgrade, a silent stream), remembered per tab, back up
// later; the cap's fallback upgrades when a slot frees; online/offline act at once. Nothing lost.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, settle } = require('../test-support/harness.js');

/** sessionStorage as a tab has it: strings by key. */
function createStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => { items.set(key, String(value)); },
    removeItem: (key) => { items.delete(key); },
  };
}

/** A started page under auto; `storage` is its tab's sessionStorage. */
async function autoPage({ delivery = {}, onPoll, engine = {}, storage = createStorage(), clockOffset = 0 } = {}) {
  let h = null;
  h = createHarness({
    delivery: { mode: 'auto', heartbeatMillis: 1000, ...delivery },
    onPoll,
    engine: { now: () => clockOffset + h.timers.now, sessionStorage: storage, ...engine },
  });
  h.got = [];
  h.pagewire.expose('ui', { add(v) { h.got.push(v); } });
  await h.pagewire.start();
  await settle();
  return Object.assign(h, { storage });
}

const add = (seq) => ({ seq, call: 'ui.add', args: [seq] });

async function advance(h, ms) {
  h.timers.advance(ms);
  await settle();
}

test('auto starts on the best mode: websocket, announced with reason auto', async () => {
  const h = await autoPage();
  assert.equal(h.pagewire.mode, 'websocket');
  assert.equal(h.pagewire.modeChoice, 'auto');
  assert.deepEqual(h.eventsOf('connect'), [{ page: h.pagewire.pageId, mode: 'websocket' }]);
  assert.deepEqual(h.eventsOf('mode'), [{ mode: 'websocket', reason: 'auto' }]);
  assert.equal(h.sockets.length, 1);
});

test('auto uses only what the page is allowed and the browser has', async () => {
  const rules = await autoPage({ delivery: { allowed: ['passive', 'polling', 'comet'] } });
  assert.equal(rules.pagewire.mode, 'comet');
  const bare = createHarness({ delivery: { mode: 'auto' }, engine: { WebSocket: null, EventSource: null, sessionStorage: null } });
  await bare.pagewire.start();
  assert.equal(bare.pagewire.mode, 'comet');
  assert.deepEqual(bare.eventsOf('error'), [], 'no MODE_UNSUPPORTED: auto never picks what the browser lacks');
});

test('a refused upgrade (closed before the hello is answered) while a poll works: down to sse, reason failed', async () => {
  const h = await autoPage();
  h.sockets[0].drop(1006);
  await settle();
  assert.equal(h.pagewire.mode, 'sse');
  assert.deepEqual(h.eventsOf('mode').at(-1), { mode: 'sse', reason: 'failed' });
  assert.equal(h.pollRequests().length, 1, 'the probe');
  assert.deepEqual(JSON.parse(h.storage.getItem('pagewire.auto')).websocket, { until: 60000, strikes: 1 });
  assert.equal(h.sockets.length, 1, 'no second socket');
});

test('a failure while the network is down is no fault of the mode: auto stays and retries', async () => {
  let down = true;
  const h = await autoPage({ onPoll: () => (down ? Promise.reject(new TypeError('Failed to fetch')) : jsonReply(200, { updates: [] })) });
  h.sockets[0].drop(1006);
  await settle();
  assert.equal(h.pagewire.mode, 'websocket');
  down = false;
  await advance(h, 1000);
  assert.equal(h.pagewire.mode, 'sse', 'the probe works now: then the socket was the fault');
});

test('the failure is remembered in the tab: a reloaded page starts on sse, and tries websocket again later', async () => {
  const storage = createStorage();
  const first = await autoPage({ storage });
  first.sockets[0].drop(1006);
  await settle();
  const h = await autoPage({ storage, clockOffset: 30000 });
  assert.equal(h.pagewire.mode, 'sse');
  assert.deepEqual(h.eventsOf('mode'), [{ mode: 'sse', reason: 'auto' }]);
  assert.equal(h.sockets.length, 0);
  h.streams[0].open();
  for (let i = 0; i < 3; i++) {
    h.streams[0].dispatch('hb', { data: '{}' });
    await advance(h, 9999);
  }
  assert.equal(h.pagewire.mode, 'sse');
  await advance(h, 3);
  assert.equal(h.pagewire.mode, 'websocket');
  assert.deepEqual(h.eventsOf('mode').at(-1), { mode: 'websocket', reason: 'upgrade' });
  assert.equal(h.streams.at(-1).closed, true);
});

test('a failed try counts one more in a row: the wait doubles; a mode that works starts the count over', async () => {
  const h = await autoPage();
  h.pagewire.reverseAjax('auto', { upgradeAfter: 2000 });
  await settle();
  h.sockets.at(-1).drop();
  await settle();
  assert.equal(h.pagewire.mode, 'sse');
  await advance(h, 2000);
  assert.equal(h.pagewire.mode, 'websocket');
  h.sockets.at(-1).drop();
  await settle();
  assert.deepEqual(JSON.parse(h.storage.getItem('pagewire.auto')).websocket, { until: 2000 + 4000, strikes: 2 });
  await advance(h, 4000);
  h.sockets.at(-1).open();
  const sockets = h.sockets.length;
  for (let i = 0; i < 60; i++) { // works for ten minutes
    h.sockets.at(-1).receive({ type: 'hb' });
    await advance(h, 10000);
  }
  assert.equal(h.sockets.length, sockets, 'one socket all along');
  h.sockets.at(-1).drop(); // a cut of a working socket is no failure of the mode
  await settle();
  assert.equal(h.pagewire.mode, 'websocket');
  h.sockets.at(-1).drop(); // its next upgrade refused: a failure, the first in a row
  await settle();
  assert.equal(JSON.parse(h.storage.getItem('pagewire.auto')).websocket.strikes, 1);
});

test('a stream that brings nothing within heartbeat + 10 s (a buffering proxy): down to comet, reason silent', async () => {
  const h = await autoPage({ delivery: { allowed: ['passive', 'polling', 'comet', 'sse'] } });
  assert.equal(h.pagewire.mode, 'sse');
  h.streams[0].open(); // the headers pass the proxy; the events never do
  await advance(h, 10999);
  assert.equal(h.pagewire.mode, 'sse');
  await advance(h, 1);
  assert.equal(h.pagewire.mode, 'comet');
  assert.deepEqual(h.eventsOf('mode').at(-1), { mode: 'comet', reason: 'silent' });
  assert.equal(h.streams[0].closed, true);
});

test('a stream that went quiet after events is a dead connection, not a buffering proxy: it reopens', async () => {
  const h = await autoPage({ delivery: { allowed: ['passive', 'polling', 'comet', 'sse'] } });
  h.streams[0].open();
  h.streams[0].dispatch('hb', { data: '{}' });
  await advance(h, 11000);
  assert.equal(h.pagewire.mode, 'sse');
});

test('a held poll never answered, even past its hold, moves comet down to polling', async () => {
  const h = await autoPage({ delivery: { allowed: ['passive', 'polling', 'comet'], holdMillis: 20000 } });
  assert.equal(h.pagewire.mode, 'comet');
  await advance(h, 30000);
  assert.equal(h.pagewire.mode, 'polling');
  assert.deepEqual(h.eventsOf('mode').at(-1), { mode: 'polling', reason: 'silent' });
});

test('across switches every update is applied once and in order: each transport starts from the cursor', async () => {
  let backlog = [add(1), add(2)];
  const h = await autoPage({ onPoll: (request) => (request.body.hold ? new Promise(() => {})
    : jsonReply(200, { updates: backlog.filter((u) => u.seq > request.body.ack) })) });
  h.sockets[0].drop(); // the probe brings 1 and 2
  await settle();
  assert.deepEqual(h.got, [1, 2]);
  assert.match(h.streams[0].url, /&ack=2$/);
  h.streams[0].open();
  h.streams[0].message(add(2));
  h.streams[0].message(add(3));
  backlog = [add(3), add(4)];
  await advance(h, 60000); // websocket again
  assert.equal(h.pagewire.mode, 'websocket');
  h.sockets.at(-1).open(false);
  assert.equal(h.sockets.at(-1).sent[0].ack, 3);
  h.sockets.at(-1).receive({ type: 'open' });
  h.sockets.at(-1).receive({ type: 'updates', updates: [add(3), add(4), add(5)] });
  assert.deepEqual(h.got, [1, 2, 3, 4, 5]);
});

test('a fallback at the held-request cap: polling, then the held mode again when a slot may be free', async () => {
  const h = await autoPage({ delivery: { allowed: ['passive', 'polling', 'comet', 'sse'] } });
  h.streams[0].dispatch('fallback', { data: 'polling' });
  await settle();
  assert.equal(h.pagewire.mode, 'polling');
  assert.deepEqual(h.eventsOf('mode').at(-1), { mode: 'polling', reason: 'fallback' });
  assert.equal(h.storage.getItem('pagewire.auto'), null, 'the cap is no failure to remember');
  await advance(h, 15000);
  assert.equal(h.pagewire.mode, 'sse');
  assert.deepEqual(h.eventsOf('mode').at(-1), { mode: 'sse', reason: 'upgrade' });
  assert.equal(h.streams.length, 2);
});

test('outside auto a refused upgrade only reconnects, as before', async () => {
  const h = await autoPage({ delivery: { mode: 'websocket' } });
  assert.equal(h.pagewire.modeChoice, 'websocket');
  h.sockets[0].drop();
  await settle();
  assert.equal(h.pagewire.mode, 'websocket');
  await advance(h, 1000);
  assert.equal(h.sockets.length, 2);
});

test('reverseAjax("auto") is always allowed; another choice ends it', async () => {
  const h = await autoPage({ delivery: { mode: 'polling', allowed: ['passive', 'polling', 'sse'] } });
  assert.equal(h.pagewire.reverseAjax('auto'), 'auto');
  assert.equal(h.pagewire.mode, 'sse');
  h.pagewire.reverseAjax('polling');
  assert.equal(h.pagewire.modeChoice, 'polling');
  assert.throws(() => h.pagewire.reverseAjax('auto', { upgradeAfter: 0 }), TypeError);
});

test('offline fires disconnect at once; online reconnects at once instead of waiting out the backoff', async () => {
  let down = false;
  const h = await autoPage({
    delivery: { allowed: ['passive', 'polling'] },
    onPoll: () => (down ? Promise.reject(new TypeError('Failed to fetch')) : jsonReply(200, { updates: [] })),
  });
  assert.equal(h.pagewire.mode, 'polling');
  down = true;
  h.window.dispatch('offline');
  assert.deepEqual(h.eventsOf('disconnect'), [{ page: h.pagewire.pageId, code: 'NETWORK' }]);
  await advance(h, 5000); // the poll fails
  await advance(h, 1000);
  await advance(h, 2000);
  const before = h.pollRequests().length;
  down = false;
  h.window.dispatch('online');
  await settle();
  assert.equal(h.pollRequests().length, before + 1, 'polled at once, not after the 5 s wait');
  assert.equal(h.eventsOf('connect').length, 2);
  await advance(h, 4999);
  assert.equal(h.pollRequests().length, before + 1, 'then at the poll interval again');
  h.window.dispatch('online');
  await settle();
  assert.equal(h.pollRequests().length, before + 1, 'online while connected changes nothing');
});

for (const which of ['websocket', 'sse']) {
  test(`offline within 5 s of a ${which} opening: its timer fires no connect; online reconnects at once, then connect`, async () => {
    const h = await autoPage({ delivery: which === 'sse' ? { allowed: ['passive', 'polling', 'sse'] } : {} });
    const made = which === 'sse' ? h.streams : h.sockets;
    assert.equal(h.pagewire.mode, which);
    made[0].open();
    await advance(h, 1000);
    h.window.dispatch('offline');
    assert.deepEqual(h.eventsOf('disconnect'), [{ page: h.pagewire.pageId, code: 'NETWORK' }]);
    await advance(h, 5000); // the connection has been open 5 s: no news from the server all the same
    assert.equal(h.eventsOf('connect').length, 1, 'the handshake\'s connect only: still disconnected');
    h.window.dispatch('online');
    await settle();
    assert.equal(made.length, 2, 'a new connection at once');
    made[1].open();
    assert.deepEqual(h.eventsOf('connect').slice(1), [{ page: h.pagewire.pageId, mode: which }]);
  });
}
