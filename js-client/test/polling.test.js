'use strict';
// Polling: POST poll {"ack": n} every pollMillis after each reply; slower in a hidden tab.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, errorReply, textReply, settle } = require('../test-support/harness.js');

/** A started page in polling mode; `replies` answers the polls in turn, then {updates: []}. */
async function pollingPage(replies = [], delivery = {}) {
  const h = createHarness({
    delivery: { mode: 'polling', pollMillis: 5000, ...delivery },
    onPoll: () => {
      const next = replies.shift();
      if (next instanceof Error) throw next;
      return next || jsonReply(200, { updates: [] });
    },
  });
  await h.pagewire.start();
  await settle();
  return h;
}

/** Moves fake time on, then lets the replies it caused arrive. */
async function advance(h, ms) {
  h.timers.advance(ms);
  await settle();
}

test('the advised polling mode polls at once, then pollMillis after each reply', async () => {
  const h = await pollingPage([jsonReply(200, { updates: [{ seq: 1, call: 'ui.add', args: ['hi'] }] })]);
  const got = [];
  h.pagewire.expose('ui', { add(v) { got.push(v); } });
  assert.equal(h.pagewire.mode, 'polling');
  assert.equal(h.pollRequests().length, 1);
  const [first] = h.pollRequests();
  assert.equal(first.url, '/ctx/pagewire/poll');
  assert.equal(first.init.method, 'POST');
  assert.deepEqual(first.headers, {
    'Content-Type': 'application/json', 'Pagewire-Page': h.pagewire.pageId, 'Pagewire-Token': h.pagewire.pageId.replace('P', 'T'),
  });
  assert.deepEqual(first.body, { ack: 0 });
  assert.deepEqual(got, []); // exposed after the first reply came: nothing ran

  await advance(h, 4999);
  assert.equal(h.pollRequests().length, 1);
  await advance(h, 1);
  assert.equal(h.pollRequests().length, 2);
  assert.deepEqual(h.pollRequests()[1].body, { ack: 1 });
  await advance(h, 5000);
  assert.equal(h.pollRequests().length, 3);
});

test('reverseAjax("polling", {interval}) overrides the server interval', async () => {
  const h = await pollingPage([], { mode: 'passive' });
  h.pagewire.reverseAjax('polling', { interval: 1000 });
  await settle();
  assert.equal(h.pollRequests().length, 1);
  await advance(h, 1000);
  assert.equal(h.pollRequests().length, 2);
  assert.throws(() => h.pagewire.reverseAjax('polling', { interval: 0 }), TypeError);
  assert.throws(() => h.pagewire.reverseAjax('polling', { interval: 'soon' }), TypeError);
});

test('a hidden tab polls 4x slower, and at once when it shows again', async () => {
  const h = await pollingPage();
  h.document.visibilityState = 'hidden';
  await advance(h, 5000); // this wait was planned while visible
  assert.equal(h.pollRequests().length, 2);
  await advance(h, 19999);
  assert.equal(h.pollRequests().length, 2);
  await advance(h, 1);
  assert.equal(h.pollRequests().length, 3);

  await advance(h, 3000);
  h.document.visibilityState = 'visible';
  h.document.dispatch('visibilitychange');
  await settle();
  assert.equal(h.pollRequests().length, 4);
  await advance(h, 5000);
  assert.equal(h.pollRequests().length, 5, 'back to the normal interval, the slow wait was dropped');
  for (let i = 0; i < 4; i++) await advance(h, 5000);
  assert.equal(h.pollRequests().length, 9);
});

test('hidden polling is capped at 60 s', async () => {
  const h = await pollingPage([], { pollMillis: 20000 });
  h.document.visibilityState = 'hidden';
  await advance(h, 20000);
  assert.equal(h.pollRequests().length, 2);
  await advance(h, 59999);
  assert.equal(h.pollRequests().length, 2);
  await advance(h, 1);
  assert.equal(h.pollRequests().length, 3);
});

test('network errors: disconnect once, back off, connect when a poll works again', async () => {
  const down = new TypeError('Failed to fetch');
  const h = await pollingPage([down, down, textReply(502)]);
  const page = h.pagewire.pageId;
  assert.deepEqual(h.eventsOf('disconnect'), [{ page, code: 'NETWORK' }]);
  await advance(h, 1000);
  await advance(h, 2000);
  assert.equal(h.pollRequests().length, 3);
  assert.deepEqual(h.timers.delays(), [5000], 'a 502 from a proxy counts as a network failure');
  await advance(h, 5000);
  assert.equal(h.eventsOf('disconnect').length, 1);
  assert.deepEqual(h.eventsOf('connect'), [{ page, mode: 'polling' }, { page, mode: 'polling' }]);
  assert.deepEqual(h.timers.delays(), [5000], 'the normal interval again');
  assert.deepEqual(h.eventsOf('error'), [], 'network trouble is not an error event');
});

test('switching to passive stops polling', async () => {
  const h = await pollingPage();
  h.pagewire.reverseAjax('passive');
  assert.equal(h.timers.pending, 0);
  assert.equal(h.document.listenerCount('visibilitychange'), 0);
  await advance(h, 60000);
  assert.equal(h.pollRequests().length, 1);
});

test('a poll refused with a 4xx that will not change stops polling', async () => {
  const h = await pollingPage([errorReply(403, 'BAD_TOKEN', 'token missing or wrong')]);
  assert.deepEqual(h.eventsOf('error').map((e) => [e.code, e.message]), [['BAD_TOKEN', 'token missing or wrong']]);
  assert.equal(h.pagewire.mode, 'passive');
  assert.equal(h.timers.pending, 0);
});
