'use strict';
// Choosing the delivery mode: the server's advice, reverseAjax, setActiveReverseAjax, refusals.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, errorReply, settle, ALL_MODES } = require('../test-support/harness.js');

test('after the handshake the advised mode starts; mode tells it, a mode event announces it', async () => {
  const h = createHarness({ delivery: { mode: 'polling' } });
  assert.equal(h.pagewire.mode, 'passive');
  await h.pagewire.start();
  assert.equal(h.pagewire.mode, 'polling');
  assert.deepEqual(h.events.map((e) => e.event), ['connect', 'mode']);
  assert.deepEqual(h.eventsOf('connect'), [{ page: h.pagewire.pageId, mode: 'polling' }]);
  assert.deepEqual(h.eventsOf('mode'), [{ mode: 'polling' }]);
  await settle();
  assert.equal(h.pollRequests().length, 1);
});

test('reverseAjax switches mode: the old transport stops, the new one starts', async () => {
  const h = createHarness({ delivery: { mode: 'polling' } });
  await h.pagewire.start();
  await settle();
  assert.equal(h.pagewire.reverseAjax('sse'), 'sse');
  assert.equal(h.pagewire.mode, 'sse');
  assert.equal(h.timers.pending, 1, 'no poll planned any more: only the stream watchdog');
  assert.equal(h.streams.length, 1);
  h.pagewire.reverseAjax('comet');
  assert.equal(h.streams[0].closed, true);
  await settle();
  assert.deepEqual(h.pollRequests().map((r) => r.body.hold), [undefined, true]);
  assert.deepEqual(h.eventsOf('mode'), [{ mode: 'polling' }, { mode: 'sse' }, { mode: 'comet' }]);
});

test('reverseAjax throws MODE_NOT_ALLOWED for a mode the page does not allow', async () => {
  const h = createHarness({ delivery: { mode: 'passive', allowed: ['passive', 'polling'] } });
  await h.pagewire.start();
  assert.throws(() => h.pagewire.reverseAjax('comet'), (error) => {
    assert.equal(error.name, 'PagewireError');
    assert.equal(error.code, 'MODE_NOT_ALLOWED');
    assert.equal(error.message, 'Delivery mode comet is not allowed for this page; allowed: passive, polling');
    return true;
  });
  assert.equal(h.pagewire.mode, 'passive');
  assert.throws(() => h.pagewire.reverseAjax('websocket'), (error) => error.code === 'MODE_NOT_ALLOWED');
  assert.throws(() => h.pagewire.reverseAjax('pigeon'), TypeError);
  assert.throws(() => h.pagewire.reverseAjax('polling', 5000), TypeError);
});

test('before the handshake reverseAjax records the choice; it wins over the advice when allowed', async () => {
  const h = createHarness({ delivery: { mode: 'comet' } });
  h.pagewire.reverseAjax('polling', { interval: 700 });
  assert.equal(h.pagewire.mode, 'passive');
  await h.pagewire.start();
  assert.equal(h.pagewire.mode, 'polling');
  await settle();
  h.timers.advance(700);
  await settle();
  assert.deepEqual(h.pollRequests().map((r) => r.body), [{ ack: 0 }, { ack: 0 }]);
});

test('a choice made before the handshake that is not allowed fires error; the advice holds', async () => {
  const h = createHarness({ delivery: { mode: 'polling', allowed: ['passive', 'polling'] } });
  h.pagewire.reverseAjax('sse');
  await h.pagewire.start();
  assert.deepEqual(h.eventsOf('error').map((e) => [e.code, e.message]),
    [['MODE_NOT_ALLOWED', 'Delivery mode sse is not allowed for this page; allowed: passive, polling']]);
  assert.equal(h.pagewire.mode, 'polling');
  assert.equal(h.streams.length, 0);
});

test('a connect listener may choose the mode: only its transport runs', async () => {
  const h = createHarness({ delivery: { mode: 'comet' } });
  h.pagewire.on('connect', () => h.pagewire.reverseAjax('polling'));
  await h.pagewire.start();
  await settle();
  assert.equal(h.pagewire.mode, 'polling');
  assert.deepEqual(h.pollRequests().map((r) => r.body), [{ ack: 0 }]);
  assert.deepEqual(h.eventsOf('mode'), [{ mode: 'polling' }]);
});

test('the page keeps its choice after a new handshake replaces a lost one', async () => {
  let lost = null;
  const h = createHarness({
    delivery: { mode: 'comet' },
    onPoll: (r) => (r.headers['Pagewire-Page'] === lost ? errorReply(410, 'PAGE_UNKNOWN') : { status: 200, ok: true, json: async () => ({ updates: [] }) }),
  });
  h.pagewire.reverseAjax('polling', { interval: 50 });
  lost = await h.pagewire.start();
  await settle();
  assert.notEqual(h.pagewire.pageId, lost);
  assert.equal(h.pagewire.mode, 'polling');
  assert.deepEqual(h.pollRequests().map((r) => r.body), [{ ack: 0 }, { ack: 0 }]);
  h.timers.advance(50);
  assert.equal(h.pollRequests().length, 3);
});

test('setActiveReverseAjax(true) takes the advised mode when it is active', async () => {
  const h = createHarness({ delivery: { mode: 'sse' } });
  await h.pagewire.start();
  h.pagewire.setActiveReverseAjax(false);
  assert.equal(h.pagewire.mode, 'passive');
  h.pagewire.setActiveReverseAjax(true);
  assert.equal(h.pagewire.mode, 'sse');
});

test('setActiveReverseAjax(true) otherwise takes the first allowed of comet, sse, polling', async () => {
  for (const [allowed, expected] of [
    [ALL_MODES, 'comet'], [['passive', 'sse', 'polling'], 'sse'], [['polling', 'passive'], 'polling'],
  ]) {
    const h = createHarness({ delivery: { mode: 'passive', allowed } });
    await h.pagewire.start();
    h.pagewire.setActiveReverseAjax(true);
    assert.equal(h.pagewire.mode, expected, allowed.join());
  }
  const h = createHarness({ delivery: { mode: 'passive', allowed: ['passive'] } });
  await h.pagewire.start();
  assert.throws(() => h.pagewire.setActiveReverseAjax(true),
    { code: 'MODE_NOT_ALLOWED', message: 'No active delivery mode is allowed for this page; allowed: passive' });
});

test('setActiveReverseAjax before the handshake is resolved when the handshake tells what is allowed', async () => {
  const h = createHarness({ delivery: { mode: 'passive', allowed: ['passive', 'polling'] } });
  h.pagewire.setActiveReverseAjax(true);
  await h.pagewire.start();
  assert.equal(h.pagewire.mode, 'polling');

  const none = createHarness({ delivery: { mode: 'passive', allowed: ['passive'] } });
  none.pagewire.setActiveReverseAjax(true);
  await none.pagewire.start();
  assert.equal(none.pagewire.mode, 'passive');
  assert.deepEqual(none.eventsOf('error').map((e) => [e.code, e.message]),
    [['MODE_NOT_ALLOWED', 'No active delivery mode is allowed for this page; allowed: passive']]);
});

test('a poll refused with 403 MODE_NOT_ALLOWED fires error and falls back to passive', async () => {
  const h = createHarness({
    delivery: { mode: 'comet' },
    onPoll: () => errorReply(403, 'MODE_NOT_ALLOWED', 'comet is not allowed for /echo/'),
  });
  await h.pagewire.start();
  await settle();
  assert.equal(h.pagewire.mode, 'passive');
  assert.deepEqual(h.eventsOf('error').map((e) => [e.code, e.message]), [['MODE_NOT_ALLOWED', 'comet is not allowed for /echo/']]);
  assert.deepEqual(h.eventsOf('mode'), [{ mode: 'comet' }, { mode: 'passive', reason: 'refused' }]);
  assert.equal(h.timers.pending, 0);
  assert.equal(h.pollRequests().length, 1);
});

test('allowed modes the engine does not know are ignored; a missing delivery means passive', async () => {
  const h = createHarness({ delivery: { mode: 'carrier-pigeon', allowed: ['passive', 'carrier-pigeon'] } });
  await h.pagewire.start();
  assert.equal(h.pagewire.mode, 'passive');
  assert.throws(() => h.pagewire.reverseAjax('polling'), { message: /allowed: passive$/ });
});

test('an update handler that switches the mode leaves no poll of the old mode behind', async () => {
  let seq = 0;
  const h = createHarness({
    delivery: { mode: 'polling' },
    onPoll: () => ({ status: 200, ok: true, json: async () => ({ updates: [{ seq: ++seq, call: 'ui.stop', args: [] }] }) }),
  });
  h.pagewire.expose('ui', { stop() { h.pagewire.reverseAjax('passive'); } });
  await h.pagewire.start();
  await settle();
  assert.equal(h.pagewire.mode, 'passive');
  assert.equal(h.timers.pending, 0);
});

for (const advised of ['polling', 'comet']) {
  test(`a connect listener that switches the mode after a reconnect leaves no ${advised} transport behind`, async () => {
    let down = true;
    const h = createHarness({
      delivery: { mode: advised },
      onPoll: () => { if (down) throw new TypeError('Failed to fetch'); return { status: 200, ok: true, json: async () => ({ updates: [] }) }; },
    });
    await h.pagewire.start();
    await settle();
    h.pagewire.on('connect', () => h.pagewire.reverseAjax('passive'));
    down = false;
    h.timers.advance(1000);
    await settle();
    assert.equal(h.pagewire.mode, 'passive');
    assert.equal(h.pollRequests().length, 2);
    assert.equal(h.timers.pending, 0);
  });
}
