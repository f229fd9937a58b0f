'use strict';
// Call timeouts, driven by the harness's fake timers: time moves only when a test says so.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, deferred, settle, handshakeReply } = require('../test-support/harness.js');

/** A harness whose /call replies wait until the test releases them. */
function withHeldReplies() {
  const held = [];
  const h = createHarness({
    onCall: (request) => {
      const reply = deferred();
      held.push({ request, reply });
      return reply.promise;
    },
  });
  const release = () => {
    for (const { request, reply } of held.splice(0)) {
      reply.resolve(jsonReply(200, { replies: request.body.calls.map((c) => ({ id: c.id, result: c.args[0] })) }));
    }
  };
  return { ...h, held, release };
}

test('the global timeout rejects a slow call with TimeoutError; the late reply is ignored', async () => {
  const h = withHeldReplies();
  h.pagewire.setTimeout(50);
  const Slow = h.pagewire.proxy('Slow', { wait: [1] });
  let callbackRan = false;
  const call = Slow.wait('x', () => { callbackRan = true; });
  await settle();
  assert.equal(h.held.length, 1);

  h.timers.advance(49);
  h.timers.advance(1);
  await assert.rejects(call, (error) => {
    assert.equal(error.name, 'TimeoutError');
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(error.message, 'Slow.wait timed out after 50 ms');
    assert.equal(error.proxy, 'Slow');
    return true;
  });

  h.release();
  await settle();
  assert.equal(callbackRan, false);
  assert.equal(h.events.filter((e) => e.event === 'error').length, 1);
});

test('a call does not time out before its time', async () => {
  const h = withHeldReplies();
  h.pagewire.setTimeout(50);
  const call = h.pagewire.proxy('Slow', { wait: [1] }).wait('x');
  await settle();
  h.timers.advance(49);
  h.release();
  assert.equal(await call, 'x');
  assert.equal(h.timers.pending, 0, 'the timer was cleared when the reply came');
});

test('a per-call timeout overrides the global one, and 0 turns it off', async () => {
  const h = withHeldReplies();
  h.pagewire.setTimeout(1000);
  const Slow = h.pagewire.proxy('Slow', { wait: [1] });
  const short = Slow.wait('a', { timeout: 10 });
  const none = Slow.wait('b', { timeout: 0 });
  await settle();
  h.timers.advance(10);
  await assert.rejects(short, { name: 'TimeoutError', message: 'Slow.wait timed out after 10 ms' });
  h.timers.advance(5000);
  h.release();
  assert.equal(await none, 'b');
});

test('no timeout is the default', async () => {
  const h = withHeldReplies();
  const call = h.pagewire.proxy('Slow', { wait: [1] }).wait('x');
  await settle();
  assert.equal(h.timers.pending, 0);
  h.release();
  assert.equal(await call, 'x');
});

test('a timeout goes to errorHandler, not exceptionHandler', async () => {
  const h = withHeldReplies();
  const seen = [];
  const call = h.pagewire.proxy('Slow', { wait: [1] }).wait('x', {
    timeout: 5,
    errorHandler: (message) => seen.push(['error', message]),
    exceptionHandler: (message) => seen.push(['exception', message]),
  });
  h.timers.advance(5);
  await assert.rejects(call, { code: 'TIMEOUT' });
  assert.deepEqual(seen, [['error', 'Slow.wait timed out after 5 ms']]);
});

test('batch options give a timeout and errorHandler to calls that have none', async () => {
  const h = withHeldReplies();
  const Slow = h.pagewire.proxy('Slow', { wait: [1] });
  const seen = [];
  let own;
  let longer;
  const all = h.pagewire.batch(() => {
    Slow.wait('a');
    own = Slow.wait('b', { errorHandler: () => seen.push('own') });
    longer = Slow.wait('c', { timeout: 100 });
  }, { timeout: 20, errorHandler: (message, error) => seen.push(`batch:${error.message}`) });
  await settle();
  h.timers.advance(20);
  await assert.rejects(all, { name: 'TimeoutError', message: 'Slow.wait timed out after 20 ms' });
  await assert.rejects(own, { name: 'TimeoutError' });
  assert.deepEqual(seen, ['batch:Slow.wait timed out after 20 ms', 'own']);

  h.release();
  assert.equal(await longer, 'c');
});

test('a call that times out while waiting for the handshake is never sent', async () => {
  const handshake = deferred();
  const h = createHarness({ onHandshake: () => handshake.promise });
  h.pagewire.setTimeout(30);
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  const early = Echo.echo('late');
  await settle();
  h.timers.advance(30);
  await assert.rejects(early, { code: 'TIMEOUT' });

  const later = Echo.echo('fresh');
  handshake.resolve(handshakeReply());
  assert.equal(await later, 'fresh');
  assert.deepEqual(h.callRequests().map((r) => r.body.calls.map((c) => c.args[0])), [['fresh']]);
});

test('setTimeout refuses values that are not a number >= 0', () => {
  const h = createHarness();
  assert.throws(() => h.pagewire.setTimeout(-1), TypeError);
  assert.throws(() => h.pagewire.setTimeout('10'), TypeError);
  h.pagewire.setTimeout(0);
});

test('real timers work too: a tiny timeout rejects through the promise', async () => {
  const h = createHarness({
    onCall: () => new Promise(() => {}),
    engine: { setTimeout: undefined, clearTimeout: undefined },
  });
  await assert.rejects(h.pagewire.proxy('Slow', { wait: [1] }).wait('x', { timeout: 1 }), { name: 'TimeoutError' });
});
