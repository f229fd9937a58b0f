'use strict';
// Server time: pagewire.serverTime() is the page's clock plus the offset estimated from replies
// stamped with the server's `time`; the sample with the smallest error bound (half its round
// trip, growing with its age) wins. The fake timers are both clocks: the server's runs SKEW ahead.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, handshakeReply, echoReplies, settle } = require('../test-support/harness.js');

const SKEW = 3_600_000;

/**
 * A harness whose server takes `trips` (one per exchange, `[up, down]` ms; default [10, 10]) and
 * stamps its clock, SKEW ahead of the page's, between the way up and the way down.
 */
function skewedServer(trips = [], skew = () => SKEW) {
  let h;
  /** Runs the way up, stamps the time, runs the way down; returns the stamp. */
  const travel = () => {
    const [up, down] = trips.shift() || [10, 10];
    h.timers.advance(up);
    const time = h.timers.now + skew();
    h.timers.advance(down);
    return time;
  };
  const stamped = (reply, time) => ({ ...reply, json: async () => ({ ...(await reply.json()), time }) });
  h = createHarness({
    onHandshake: () => { const time = travel(); return stamped(handshakeReply(), time); },
    onCall: (r) => { const time = travel(); return stamped(echoReplies(r), time); },
  });
  h.Echo = h.pagewire.proxy('Echo', { echo: [1] });
  return h;
}

test('before any reply the server time is the page clock', () => {
  const h = createHarness();
  assert.equal(h.pagewire.serverClock, null);
  h.timers.advance(1234);
  assert.equal(h.pagewire.serverTime(), 1234);
});

test('the handshake reply gives the first estimate: the offset within half its round trip', async () => {
  const h = skewedServer([[10, 10]]);
  await h.pagewire.start();
  assert.deepEqual(h.pagewire.serverClock, { offset: SKEW, roundTrip: 20 });
  h.timers.advance(500);
  assert.equal(h.pagewire.serverTime(), h.timers.now + SKEW);
});

test('the sample with the shortest round trip wins; a longer one does not replace it', async () => {
  // handshake 20 ms; a call of 400 ms stamped at once (its midpoint would be 200 ms off); a call of 4 ms
  const h = skewedServer([[10, 10], [0, 400], [2, 2]]);
  await h.pagewire.start();
  await h.Echo.echo('slow');
  assert.deepEqual(h.pagewire.serverClock, { offset: SKEW, roundTrip: 20 }, 'the slow reply is not taken');
  await h.Echo.echo('fast');
  assert.deepEqual(h.pagewire.serverClock, { offset: SKEW, roundTrip: 4 });
});

test('an estimate ages: long after, a sample with a longer round trip takes over', async () => {
  let skew = SKEW;
  const h = skewedServer([[2, 2], [50, 50]], () => skew);
  await h.pagewire.start();
  h.timers.advance(600_000); // 10 minutes: the 4 ms sample may be off by 2 + 300 ms now
  skew = SKEW + 40; // and the server's clock did move
  await h.Echo.echo('later');
  assert.deepEqual(h.pagewire.serverClock, { offset: SKEW + 40, roundTrip: 100 });
});

test('plain poll replies are samples too; a reply without a usable time is none', async () => {
  let h;
  let time = 'soon';
  h = createHarness({
    delivery: { mode: 'polling', pollMillis: 1000 },
    onPoll: () => { h.timers.advance(6); return jsonReply(200, { updates: [], time }); },
  });
  await h.pagewire.start();
  await settle();
  assert.equal(h.pagewire.serverClock, null, 'a handshake without time, a poll with a string');
  time = 42_000;
  h.timers.advance(1000);
  await settle();
  assert.equal(h.pagewire.serverClock.roundTrip, 6);
  assert.equal(h.pagewire.serverClock.offset, 42_000 - (h.timers.now - 3));
});

test('a WebSocket batch reply is a sample from sending the batch to its replies frame', async () => {
  const h = createHarness({ delivery: { mode: 'websocket' } });
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  await h.pagewire.start();
  h.sockets.at(-1).open();
  const result = Echo.echo('hi');
  await settle();
  const frame = h.sockets.at(-1).sentOf('call')[0];
  h.timers.advance(8);
  h.sockets.at(-1).receive({ type: 'replies', batch: frame.batch, replies: [{ id: frame.calls[0].id, result: 'hi' }], time: h.timers.now - 4 + SKEW });
  assert.equal(await result, 'hi');
  assert.deepEqual(h.pagewire.serverClock, { offset: SKEW, roundTrip: 8 });
});

test('a topic update tells the handler the server time it was published at', async () => {
  const h = createHarness({
    onCall: (r) => jsonReply(200, {
      replies: r.body.calls.map((c) => ({ id: c.id, result: null })),
      updates: [{ seq: 1, topic: '/t', time: 77, data: 1 }, { seq: 2, topic: '/t', data: 2 }],
    }),
  });
  const got = [];
  await h.pagewire.subscribe('/t', (data, info) => got.push([data, info.time])).ready;
  assert.deepEqual(got, [[1, 77], [2, null]]);
});
