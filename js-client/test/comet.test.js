'use strict';
// Comet: held POST poll {"ack": n, "hold": true}, again as soon as each reply arrives.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, deferred, settle } = require('../test-support/harness.js');

/** A started comet page whose polls wait until the test answers them (h.answer). */
async function cometPage(delivery = {}) {
  const held = [];
  const h = createHarness({
    delivery: { mode: 'comet', holdMillis: 25000, ...delivery },
    onPoll: (request) => {
      const reply = deferred();
      held.push({ request, reply });
      return reply.promise;
    },
  });
  await h.pagewire.start();
  await settle();
  /** Answers the oldest waiting poll. */
  const answer = async (body) => {
    held.shift().reply.resolve(jsonReply(200, body));
    await settle();
  };
  return { ...h, held, answer };
}

test('comet holds a poll and polls again as soon as the reply arrives', async () => {
  const h = await cometPage();
  const got = [];
  h.pagewire.expose('ui', { add(v) { got.push(v); } });
  assert.equal(h.pagewire.mode, 'comet');
  assert.deepEqual(h.pollRequests().map((r) => r.body), [{ ack: 0, hold: true }]);

  await h.answer({ updates: [{ seq: 1, call: 'ui.add', args: ['a'] }, { seq: 2, call: 'ui.add', args: ['b'] }] });
  assert.deepEqual(got, ['a', 'b']);
  assert.deepEqual(h.pollRequests().map((r) => r.body), [{ ack: 0, hold: true }, { ack: 2, hold: true }]);

  await h.answer({ updates: [] }); // the hold time passed
  assert.equal(h.pollRequests().length, 3);
  assert.equal(h.held.length, 1, 'one held poll at a time');
});

test('a reply with fallback: polling switches this page to polling', async () => {
  const h = await cometPage({ pollMillis: 3000 });
  const got = [];
  h.pagewire.expose('ui', { add(v) { got.push(v); } });
  await h.answer({ updates: [{ seq: 1, call: 'ui.add', args: ['a'] }], fallback: 'polling' });
  assert.deepEqual(got, ['a'], 'the updates of the fallback reply are applied');
  assert.equal(h.pagewire.mode, 'polling');
  assert.deepEqual(h.eventsOf('mode').at(-1), { mode: 'polling', reason: 'fallback' });
  assert.deepEqual(h.pollRequests().at(-1).body, { ack: 1 }, 'polling: no hold');
  await h.answer({ updates: [] });
  h.timers.advance(3000);
  await settle();
  assert.deepEqual(h.pollRequests().map((r) => r.body.hold), [true, undefined, undefined]);
});

test('the watchdog aborts a poll unanswered after holdMillis + 10 s, then reconnects', async () => {
  const h = await cometPage({ holdMillis: 20000 });
  const first = h.pollRequests()[0];
  h.timers.advance(29999);
  await settle();
  assert.equal(first.init.signal.aborted, false);
  h.timers.advance(1);
  await settle();
  assert.equal(first.init.signal.aborted, true);
  assert.deepEqual(h.eventsOf('disconnect'), [{ page: h.pagewire.pageId, code: 'NETWORK' }]);
  assert.equal(h.pollRequests().length, 1, 'waits a little before reconnecting');

  h.timers.advance(1000);
  await settle();
  assert.equal(h.pollRequests().length, 2);
  h.held.shift(); // the aborted one
  await h.answer({ updates: [] });
  assert.deepEqual(h.eventsOf('connect').map((c) => c.mode), ['comet', 'comet']);
  assert.equal(h.pollRequests().length, 3);
});

test('an answered poll clears its watchdog', async () => {
  const h = await cometPage();
  await h.answer({ updates: [] });
  assert.equal(h.timers.pending, 1, 'only the watchdog of the new poll');
  h.timers.advance(35000);
  await settle();
  assert.equal(h.pollRequests()[0].init.signal.aborted, false);
});

test('switching mode aborts the held poll', async () => {
  const h = await cometPage();
  const [held] = h.pollRequests();
  h.pagewire.reverseAjax('passive');
  assert.equal(held.init.signal.aborted, true);
  assert.equal(h.timers.pending, 0);
  await settle();
  assert.equal(h.pollRequests().length, 1);
  assert.deepEqual(h.eventsOf('disconnect'), [], 'a stop is not a lost connection');
});
