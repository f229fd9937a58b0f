'use strict';
// SSE: an EventSource on stream, acks by POST ack, fallback, and error -> probe poll -> reopen.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, errorReply, settle } = require('../test-support/harness.js');

/**
 * A started sse page; `onPoll` answers the probes. Its first stream is open and has been for
 * 5 s (proven: a cut is retried at once), unless `open` is false.
 */
async function ssePage({ onPoll, delivery = {}, engine, open = true } = {}) {
  const h = createHarness({ delivery: { mode: 'sse', ackDelayMillis: 1000, ...delivery }, onPoll, engine });
  const got = [];
  h.pagewire.expose('ui', { add(v) { got.push(v); } });
  await h.pagewire.start();
  const stream = () => h.streams.at(-1);
  if (open) {
    stream().open();
    h.timers.advance(5000);
  }
  return { ...h, got, stream };
}

const add = (seq) => ({ seq, call: 'ui.add', args: [seq] });

async function advance(h, ms) {
  h.timers.advance(ms);
  await settle();
}

test('the stream URL carries page, token and ack, URL-encoded', async () => {
  const h = createHarness({
    delivery: { mode: 'sse' },
    onHandshake: () => jsonReply(200, { page: 'a+b/c=', token: 't&k?', delivery: { mode: 'sse', allowed: ['sse'] } }),
  });
  await h.pagewire.start();
  assert.equal(h.pagewire.mode, 'sse');
  assert.deepEqual(h.streams.map((s) => s.url), ['/ctx/pagewire/stream?page=a%2Bb%2Fc%3D&token=t%26k%3F&ack=0']);
});

test('each message is one update; applied in order, duplicates dropped', async () => {
  const h = await ssePage();
  for (const seq of [1, 2, 2, 1, 3]) h.stream().message(add(seq));
  assert.deepEqual(h.got, [1, 2, 3]);
  h.stream().dispatch('message', { data: '{not json' });
  assert.deepEqual(h.eventsOf('error').map((e) => e.code), ['UPDATE_FAILED']);
  assert.deepEqual(h.eventsOf('connect').length, 1, 'open after the handshake is no reconnect');
});

test('acks go out ackDelayMillis after the first unacknowledged update, with the highest applied', async () => {
  const h = await ssePage();
  h.stream().message(add(1));
  await advance(h, 600);
  h.stream().message(add(2));
  h.stream().message(add(3));
  await advance(h, 399);
  assert.equal(h.ackRequests().length, 0);
  await advance(h, 1);
  assert.equal(h.ackRequests().length, 1);
  const [ack] = h.ackRequests();
  assert.equal(ack.url, '/ctx/pagewire/ack');
  assert.deepEqual(ack.body, { ack: 3 });
  assert.equal(ack.headers['Pagewire-Page'], h.pagewire.pageId);
  assert.equal(ack.headers['Pagewire-Token'], h.pagewire.pageId.replace('P', 'T'));
  await advance(h, 5000);
  assert.equal(h.ackRequests().length, 1, 'nothing new to acknowledge');
});

test('100 unacknowledged updates are acknowledged at once', async () => {
  const h = await ssePage();
  for (let seq = 1; seq <= 99; seq++) h.stream().message(add(seq));
  await settle();
  assert.equal(h.ackRequests().length, 0);
  h.stream().message(add(100));
  await settle();
  assert.deepEqual(h.ackRequests().map((r) => r.body), [{ ack: 100 }]);
  assert.equal(h.timers.pending, 1, 'the delayed ack was dropped: only the stream watchdog is left');
  await advance(h, 1000);
  assert.equal(h.ackRequests().length, 1);
});

test('numbers that skip, as a backend\'s do, count as updates: the gap is not the number waiting', async () => {
  const h = await ssePage();
  h.stream().message(add(1000));
  h.stream().message(add(5000));
  await settle();
  assert.equal(h.ackRequests().length, 0, 'two updates wait for the delay');
  await advance(h, 1000);
  assert.deepEqual(h.ackRequests().map((r) => r.body), [{ ack: 5000 }]);
  for (let i = 1; i <= 99; i++) h.stream().message(add(5000 + 1000 * i));
  await settle();
  assert.equal(h.ackRequests().length, 1);
  h.stream().message(add(105000));
  await settle();
  assert.deepEqual(h.ackRequests().map((r) => r.body).at(-1), { ack: 105000 }, 'the 100th is acknowledged at once');
});

test('a call carries the ack and the pending ack is not sent', async () => {
  const h = await ssePage();
  h.stream().message(add(1));
  await h.pagewire.proxy('Echo', { echo: [1] }).echo('x');
  assert.equal(h.callRequests()[0].body.ack, 1);
  assert.equal(h.timers.pending, 1, 'the ack timer was dropped: only the stream watchdog is left');
  await advance(h, 1000);
  assert.equal(h.ackRequests().length, 0);
});

test('an ack that fails is sent again with the next update', async () => {
  let fail = true;
  const h = createHarness({
    delivery: { mode: 'sse' },
    onAck: () => { if (fail) throw new TypeError('Failed to fetch'); return jsonReply(204); },
  });
  h.pagewire.expose('ui', { add() {} });
  await h.pagewire.start();
  h.streams[0].message(add(1));
  await advance(h, 1000);
  fail = false;
  h.streams[0].message(add(2));
  await advance(h, 1000);
  assert.deepEqual(h.ackRequests().map((r) => r.body), [{ ack: 1 }, { ack: 2 }]);
});

test('a fallback event switches the page to polling', async () => {
  const h = await ssePage();
  const stream = h.stream();
  stream.dispatch('fallback', { data: 'polling' });
  assert.equal(stream.closed, true);
  assert.equal(h.pagewire.mode, 'polling');
  assert.deepEqual(h.eventsOf('mode').at(-1), { mode: 'polling', reason: 'fallback' });
  await settle();
  assert.deepEqual(h.pollRequests().map((r) => r.body), [{ ack: 0 }]);
  stream.fail(); // the server ends the stream: nothing more to do for it
  await settle();
  assert.equal(h.streams.length, 1);
});

test('an error closes the stream; a probe poll brings missed updates, then the stream reopens', async () => {
  const h = await ssePage({ onPoll: () => jsonReply(200, { updates: [add(2), add(3)] }) });
  const page = h.pagewire.pageId;
  h.stream().message(add(1));
  const first = h.stream();
  first.fail();
  assert.equal(first.closed, true, 'no EventSource auto-reconnect');
  assert.deepEqual(h.eventsOf('disconnect'), [{ page, code: 'NETWORK' }]);
  await settle();
  assert.deepEqual(h.pollRequests().map((r) => r.body), [{ ack: 1 }], 'a probe, not held');
  assert.deepEqual(h.got, [1, 2, 3]);
  assert.equal(h.streams.length, 2, 'reopened at once: it had been open for a while');
  assert.match(h.stream().url, /&ack=3$/);
  assert.equal(h.eventsOf('connect').length, 1, 'connect waits for the stream to open');
  h.stream().open();
  assert.deepEqual(h.eventsOf('connect').at(-1), { page, mode: 'sse' });
});

test('a stream that fails before opening is reopened only after a backoff wait', async () => {
  const h = await ssePage({ open: false });
  h.stream().fail();
  await settle();
  assert.equal(h.streams.length, 1);
  h.stream().fail(); // ignored: that stream is closed
  await advance(h, 1000);
  assert.equal(h.streams.length, 2);
  h.stream().fail(); // never opened
  await settle();
  await advance(h, 1999);
  assert.equal(h.streams.length, 2);
  await advance(h, 1);
  assert.equal(h.streams.length, 3);
  assert.equal(h.eventsOf('disconnect').length, 1);
});

test('a stream cut soon after it opened is reopened only after a backoff wait', async () => {
  const h = await ssePage({ open: false });
  h.stream().open();
  await advance(h, 4999);
  h.stream().fail();
  await settle();
  assert.equal(h.streams.length, 1);
  assert.deepEqual(h.timers.delays(), [1000]);
  await advance(h, 1000);
  assert.equal(h.streams.length, 2);
  h.stream().open();
  await advance(h, 5000);
  h.stream().fail();
  await settle();
  assert.equal(h.streams.length, 3, 'open for 5 s: proven, reopened at once');
  assert.equal(h.eventsOf('disconnect').length, 2);
  assert.equal(h.eventsOf('connect').length, 2, 'the handshake, then the reopened stream');
});

test('a probe that cannot reach the server is retried with backoff', async () => {
  let down = true;
  const h = await ssePage({ onPoll: () => { if (down) throw new TypeError('Failed to fetch'); return jsonReply(200, { updates: [] }); } });
  h.stream().fail();
  await settle();
  assert.equal(h.pollRequests().length, 1);
  await advance(h, 1000);
  assert.equal(h.pollRequests().length, 2);
  down = false;
  await advance(h, 2000);
  assert.equal(h.pollRequests().length, 3);
  assert.equal(h.streams.length, 2);
});

test('a probe answered PAGE_UNKNOWN makes a new page and streams for it', async () => {
  const h = await ssePage({ onPoll: () => errorReply(410, 'PAGE_UNKNOWN') });
  const old = h.pagewire.pageId;
  h.stream().message(add(4));
  h.stream().fail();
  await settle();
  const fresh = h.pagewire.pageId;
  assert.notEqual(fresh, old);
  assert.deepEqual(h.eventsOf('disconnect'), [{ page: old, code: 'NETWORK' }]);
  assert.deepEqual(h.eventsOf('resync'), [{ page: fresh, reason: 'lost' }]);
  assert.equal(h.streams.length, 2);
  assert.equal(h.stream().url, `/ctx/pagewire/stream?page=${fresh}&token=${fresh.replace('P', 'T')}&ack=0`);
});

test('an ack answered PAGE_UNKNOWN makes a new page', async () => {
  const h = createHarness({ delivery: { mode: 'sse' }, onAck: () => errorReply(410, 'PAGE_UNKNOWN') });
  h.pagewire.expose('ui', { add() {} });
  const old = await h.pagewire.start();
  h.streams[0].open();
  h.streams[0].message(add(1));
  await advance(h, 1000);
  assert.equal(h.streams[0].closed, true);
  assert.notEqual(h.pagewire.pageId, old);
  assert.deepEqual(h.eventsOf('disconnect'), [{ page: old, code: 'PAGE_UNKNOWN' }]);
  assert.equal(h.streams.length, 2);
});

test('without EventSource the page polls instead', async () => {
  const h = createHarness({ delivery: { mode: 'sse' }, engine: { EventSource: undefined } });
  const saved = globalThis.EventSource;
  delete globalThis.EventSource;
  try {
    await h.pagewire.start();
  } finally {
    if (saved) globalThis.EventSource = saved;
  }
  assert.equal(h.pagewire.mode, 'polling');
  assert.deepEqual(h.eventsOf('error').map((e) => e.code), ['MODE_UNSUPPORTED']);
  assert.deepEqual(h.eventsOf('mode').at(-1), { mode: 'polling', reason: 'unsupported' });
});

test('a probe whose update handler switches the mode opens no stream', async () => {
  const h = await ssePage({ onPoll: () => jsonReply(200, { updates: [{ seq: 1, call: 'page.quiet', args: [] }] }) });
  h.pagewire.expose('page', { quiet() { h.pagewire.reverseAjax('passive'); } });
  h.stream().fail();
  await settle();
  assert.equal(h.pagewire.mode, 'passive');
  assert.equal(h.streams.length, 1);
  assert.equal(h.timers.pending, 0);
});

test('a stream silent past heartbeatMillis plus a grace is taken for dead: probe, then reopen', async () => {
  const h = await ssePage({ delivery: { heartbeatMillis: 15000 } });
  const first = h.stream();
  await advance(h, 14000);
  first.dispatch('hb'); // the server's heartbeat keeps it alive
  await advance(h, 24000);
  assert.equal(first.closed, false, 'a heartbeat came within the window');
  await advance(h, 1001);
  assert.equal(first.closed, true, 'no update and no heartbeat for 25 s: a half-open connection');
  assert.equal(h.pollRequests().length, 1, 'the probe');
  assert.deepEqual(h.eventsOf('disconnect').map((e) => e.code), ['NETWORK']);
});

test('a refused stream is reported by event: 410 makes a new page, 403 falls back to passive', async () => {
  const h = await ssePage();
  h.stream().dispatch('refused', { data: JSON.stringify({ status: 403, error: { code: 'MODE_NOT_ALLOWED', message: 'no sse here' } }) });
  await settle();
  assert.equal(h.pagewire.mode, 'passive');
  assert.deepEqual(h.eventsOf('error').map((e) => e.code), ['MODE_NOT_ALLOWED']);
  assert.equal(h.streams.at(-1).closed, true);

  const g = await ssePage();
  const handshakesBefore = g.requests.filter((r) => r.url.endsWith('/handshake')).length;
  g.stream().dispatch('refused', { data: JSON.stringify({ status: 410, error: { code: 'PAGE_UNKNOWN', message: 'gone' } }) });
  await settle();
  assert.equal(g.requests.filter((r) => r.url.endsWith('/handshake')).length, handshakesBefore + 1, 'a new handshake');
  assert.deepEqual(g.eventsOf('resync').map((e) => e.reason), ['lost']);
});
