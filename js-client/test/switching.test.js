'use strict';
// A page started on `auto` and switched to another mode at once, while auto's first connection is
// still starting (the socket opening, its hello unanswered, the tab-sharing election pending, the
// stream opening): the page ends in the chosen mode with a live transport, the abandoned
// connection's late events change nothing, and every push arrives once, in order.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, settle } = require('../test-support/harness.js');

const add = (seq) => ({ seq, call: 'ui.add', args: [seq] });

/**
 * Web Locks that grant nothing until the test says so (`grantAll`), and a BroadcastChannel that
 * hears nobody: a tab whose election is pending for as long as the test likes.
 */
function createSlowElection() {
  const waiting = [];
  return {
    locks: {
      request(name, given, more) {
        const callback = typeof given === 'function' ? given : more;
        return new Promise((resolve, reject) => { waiting.push(() => Promise.resolve(callback({ name })).then(resolve, reject)); });
      },
    },
    BroadcastChannel: class { addEventListener() {} postMessage() {} close() {} },
    grantAll() { for (const grant of waiting.splice(0)) grant(); },
  };
}

/**
 * A started page under auto whose server holds `backlog` (updates 1 to 3): a plain poll gets those
 * above its ack, a held poll too when there are any (else it waits). `allowed` limits the modes.
 */
async function startOnAuto({ allowed, engine = {}, shareTabs = false } = {}) {
  const backlog = [add(1), add(2), add(3)];
  const h = createHarness({
    delivery: { mode: 'auto', heartbeatMillis: 1000, pollMillis: 1000, shareTabs, ...(allowed ? { allowed } : {}) },
    onPoll: (request) => {
      const updates = backlog.filter((u) => u.seq > request.body.ack);
      return request.body.hold && !updates.length ? new Promise(() => {}) : jsonReply(200, { updates });
    },
    engine: { sessionStorage: null, ...engine },
  });
  h.got = [];
  h.pagewire.expose('ui', { add(v) { h.got.push(v); } });
  await h.pagewire.start();
  return Object.assign(h, { backlog });
}

/**
 * Asserts that `h` runs `chosen` and is live in it: polling polls again after its interval,
 * comet holds a poll, sse has an open stream; and that updates 1 to 3 arrived once, in order.
 */
async function assertLiveIn(h, chosen) {
  assert.equal(h.pagewire.mode, chosen);
  assert.equal(h.pagewire.modeChoice, chosen);
  assert.deepEqual(h.eventsOf('mode').at(-1), { mode: chosen });
  if (chosen === 'sse') {
    const stream = h.streams.at(-1);
    assert.equal(stream.closed, false, 'an open stream');
    stream.open();
    stream.message(add(1));
    stream.message(add(2));
    stream.message(add(3));
  }
  if (chosen === 'comet') {
    await settle();
    assert.ok(h.pollRequests().some((r) => r.body.hold && r.body.ack === 3), 'a poll held from the cursor');
  }
  if (chosen === 'polling') {
    const polls = h.pollRequests().length;
    h.timers.advance(1000);
    await settle();
    assert.equal(h.pollRequests().length, polls + 1, 'polling on');
  }
  assert.deepEqual(h.got, [1, 2, 3], 'every push once, in order');
  assert.deepEqual(h.eventsOf('error'), []);
}

for (const chosen of ['polling', 'comet', 'sse']) {
  test(`switched to ${chosen} while the socket opens: its late open sends no hello; ${chosen} runs`, async () => {
    const h = await startOnAuto();
    const socket = h.sockets[0];
    assert.equal(h.pagewire.mode, 'websocket');
    h.pagewire.reverseAjax(chosen);
    socket.open(); // the upgrade completes after the switch
    await settle();
    assert.deepEqual(socket.sent, [], 'no hello on the abandoned socket');
    assert.equal(socket.closeCode, 1000);
    await assertLiveIn(h, chosen);
    assert.equal(h.sockets.length, 1, 'no socket opened again');
  });

  test(`switched to ${chosen} with the hello unanswered: the socket's late frames are ignored; ${chosen} runs`, async () => {
    const h = await startOnAuto();
    const socket = h.sockets[0];
    socket.open(false);
    h.pagewire.reverseAjax(chosen);
    socket.receive({ type: 'open' });
    socket.receive({ type: 'updates', updates: [add(1)] });
    socket.drop(1000);
    await settle();
    await assertLiveIn(h, chosen);
    assert.equal(h.sockets.length, 1);
  });

  test(`switched to ${chosen} while the tab-sharing election is pending: no role, no socket; ${chosen} runs`, async () => {
    const election = createSlowElection();
    const h = await startOnAuto({ shareTabs: true, engine: { locks: election.locks, BroadcastChannel: election.BroadcastChannel } });
    assert.equal(h.pagewire.mode, 'websocket');
    h.pagewire.reverseAjax(chosen);
    await settle();
    election.grantAll(); // the locks answer after the switch
    await settle();
    election.grantAll();
    await settle();
    assert.equal(h.pagewire.tabRole, null);
    assert.equal(h.sockets.length, 0, 'the late lock opened no socket');
    await assertLiveIn(h, chosen);
  });
}

for (const chosen of ['polling', 'comet']) {
  test(`switched to ${chosen} while auto's stream opens: its late events are ignored; ${chosen} runs`, async () => {
    const h = await startOnAuto({ allowed: ['passive', 'polling', 'comet', 'sse'] });
    const stream = h.streams[0];
    assert.equal(h.pagewire.mode, 'sse');
    h.pagewire.reverseAjax(chosen);
    stream.open();
    stream.message(add(1));
    stream.fail();
    await settle();
    assert.equal(stream.closed, true);
    assert.equal(h.streams.length, 1, 'no stream opened again');
    await assertLiveIn(h, chosen);
  });
}

test('switched back and forth at once (auto, polling, auto, polling): one live polling transport, no socket left open', async () => {
  const h = await startOnAuto();
  h.pagewire.reverseAjax('polling');
  h.pagewire.reverseAjax('auto');
  h.pagewire.reverseAjax('polling');
  for (const socket of h.sockets) socket.open();
  await settle();
  assert.ok(h.sockets.every((s) => s.closeCode === 1000 && s.sent.length === 0));
  await assertLiveIn(h, 'polling');
  const polls = h.pollRequests().length;
  h.timers.advance(1000);
  await settle();
  assert.equal(h.pollRequests().length, polls + 1, 'one poll per interval: a single transport');
});
