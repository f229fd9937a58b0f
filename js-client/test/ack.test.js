'use strict';
// Every request carries the ack: the highest update number the page applied since its handshake.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, errorReply, settle } = require('../test-support/harness.js');

test('calls carry ack: 0 before any update, then the highest applied', async () => {
  let updates = [{ seq: 1, call: 'ui.add', args: [] }, { seq: 2, call: 'ui.add', args: [] }];
  const h = createHarness({
    onCall: (r) => jsonReply(200, { replies: r.body.calls.map((c) => ({ id: c.id })), updates: updates.splice(0) }),
  });
  h.pagewire.expose('ui', { add() {} });
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  await Echo.echo(1);
  await Echo.echo(2);
  assert.deepEqual(h.callRequests().map((r) => r.body.ack), [0, 2]);
});

test('polls carry the ack too', async () => {
  let seq = 0;
  const h = createHarness({
    delivery: { mode: 'polling', pollMillis: 100 },
    onPoll: () => jsonReply(200, { updates: [{ seq: ++seq, call: 'ui.add', args: [] }] }),
  });
  h.pagewire.expose('ui', { add() {} });
  await h.pagewire.start();
  await settle();
  h.timers.advance(100);
  await settle();
  h.timers.advance(100);
  await settle();
  assert.deepEqual(h.pollRequests().map((r) => r.body), [{ ack: 0 }, { ack: 1 }, { ack: 2 }]);
});

test('a new handshake starts again from 0: its numbers are applied, not dropped as old', async () => {
  const lost = new Set();
  const pending = [];
  const h = createHarness({
    onCall: (r) => (lost.has(r.headers['Pagewire-Page'])
      ? errorReply(410, 'PAGE_UNKNOWN')
      : jsonReply(200, { replies: r.body.calls.map((c) => ({ id: c.id })), updates: pending.splice(0) })),
  });
  const got = [];
  h.pagewire.expose('ui', { add(v) { got.push(v); } });
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  pending.push({ seq: 5, call: 'ui.add', args: ['old'] });
  await Echo.echo(1);
  lost.add(h.pagewire.pageId);
  pending.push({ seq: 1, call: 'ui.add', args: ['new'] });
  await Echo.echo(2);
  assert.deepEqual(got, ['old', 'new']);
  assert.deepEqual(h.callRequests().map((r) => r.body.ack), [0, 5, 0]);
});
