'use strict';
// Page lifecycle: pagehide ends the page with a beacon; a page back from the
// back-forward cache (pageshow with persisted) makes a new handshake and resyncs.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, settle } = require('../test-support/harness.js');

test('pagehide stops delivery and sends the unload beacon as a plain string', async () => {
  const h = createHarness({ delivery: { mode: 'comet' } });
  const page = await h.pagewire.start();
  await settle();
  const [held] = h.pollRequests();
  h.window.dispatch('pagehide', { persisted: false });
  assert.deepEqual(h.beacons, [{
    url: '/ctx/pagewire/unload',
    body: JSON.stringify({ page, token: page.replace('P', 'T') }),
  }]);
  assert.equal(typeof h.beacons[0].body, 'string', 'a string body goes out as text/plain');
  assert.equal(held.init.signal.aborted, true);
  assert.equal(h.timers.pending, 0);
  assert.equal(h.pagewire.pageId, null);
  await settle();
  assert.equal(h.pollRequests().length, 1);
  assert.deepEqual(h.eventsOf('disconnect'), []);
});

test('pageshow from the back-forward cache makes a new handshake, resyncs and restarts delivery', async () => {
  const h = createHarness({ delivery: { mode: 'polling' } });
  const first = await h.pagewire.start();
  h.window.dispatch('pagehide', { persisted: true });
  h.window.dispatch('pageshow', { persisted: true });
  await settle();
  const second = h.pagewire.pageId;
  assert.notEqual(second, first);
  assert.equal(h.handshakeRequests().length, 2);
  assert.deepEqual(h.eventsOf('resync'), [{ page: second, reason: 'restored' }]);
  assert.deepEqual(h.pollRequests().map((r) => r.headers['Pagewire-Page']), [first, second]);
  assert.equal(h.pagewire.mode, 'polling');
});

test('a pageshow that is not a restore changes nothing', async () => {
  const h = createHarness();
  await h.pagewire.start();
  h.window.dispatch('pageshow', { persisted: false });
  await settle();
  assert.equal(h.handshakeRequests().length, 1);
  assert.deepEqual(h.eventsOf('resync'), []);
});

test('the lifecycle listeners are added by start(), and only to a target that can take them', async () => {
  const h = createHarness();
  assert.equal(h.window.listenerCount('pagehide'), 0);
  await h.pagewire.start();
  h.pagewire.start();
  assert.equal(h.window.listenerCount('pagehide'), 1);
  assert.equal(h.window.listenerCount('pageshow'), 1);

  const bare = createHarness({ engine: { window: {} } });
  assert.ok(await bare.pagewire.start());
});

test('a failing sendBeacon does not break pagehide', async () => {
  const h = createHarness({ delivery: { mode: 'polling' }, engine: { sendBeacon: () => { throw new TypeError('Illegal invocation'); } } });
  await h.pagewire.start();
  h.window.dispatch('pagehide', {});
  assert.equal(h.pagewire.pageId, null);
  assert.equal(h.timers.pending, 0);
});
