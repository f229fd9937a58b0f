'use strict';
// Failed calls: the Error each one rejects with, DWR handler routing, the error event,
// refused requests and network failures.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, textReply, settle } = require('../test-support/harness.js');

const EXCEPTION = { code: 'EXCEPTION', name: 'InvalidInput', message: 'no negatives' };
const INTERNAL = { code: 'INTERNAL', message: 'Internal error', incident: 'abc123' };

/** A harness whose server answers every call with the given per-call error. */
function failingWith(error) {
  return createHarness({
    onCall: (r) => jsonReply(200, { replies: r.body.calls.map((c) => ({ id: c.id, error })) }),
  });
}

/** Records handler invocations as [which, message, error]. */
function recorder() {
  const seen = [];
  const handler = (which) => (message, error) => seen.push([which, message, error]);
  return { seen, handler };
}

test('EXCEPTION rejects with the server exception name and message', async () => {
  const h = failingWith(EXCEPTION);
  const Calc = h.pagewire.proxy('Calc', { sqrt: [1] });
  await assert.rejects(Calc.sqrt(-1), (error) => {
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'InvalidInput');
    assert.equal(error.message, 'no negatives');
    assert.equal(error.code, 'EXCEPTION');
    assert.equal(error.proxy, 'Calc');
    assert.equal(error.method, 'sqrt');
    assert.equal('incident' in error, false);
    return true;
  });
});

test('INTERNAL rejects with a generic message naming the incident', async () => {
  const h = failingWith(INTERNAL);
  await assert.rejects(h.pagewire.proxy('Calc', { sqrt: [1] }).sqrt(4), {
    name: 'PagewireError', code: 'INTERNAL', incident: 'abc123', message: 'Server error (incident abc123)',
  });
});

test('other per-call codes reject as PagewireError with the server message', async () => {
  const h = failingWith({ code: 'BAD_ARGUMENTS', message: 'argument 0 must be a number' });
  await assert.rejects(h.pagewire.proxy('Calc', { sqrt: [1] }).sqrt('x'), {
    name: 'PagewireError', code: 'BAD_ARGUMENTS', message: 'argument 0 must be a number',
  });
});

test('exceptionHandler takes EXCEPTION and INTERNAL; errorHandler then gets nothing', async () => {
  for (const serverError of [EXCEPTION, INTERNAL]) {
    const h = failingWith(serverError);
    const { seen, handler } = recorder();
    const call = h.pagewire.proxy('Calc', { sqrt: [1] })
      .sqrt(-1, { exceptionHandler: handler('exception'), errorHandler: handler('error') });
    const error = await call.catch((e) => e);
    assert.deepEqual(seen, [['exception', error.message, error]]);
  }
});

test('errorHandler takes EXCEPTION when there is no exceptionHandler', async () => {
  const h = failingWith(EXCEPTION);
  const { seen, handler } = recorder();
  const error = await h.pagewire.proxy('Calc', { sqrt: [1] }).sqrt(-1, { errorHandler: handler('error') }).catch((e) => e);
  assert.deepEqual(seen, [['error', 'no negatives', error]]);
});

test('errorHandler, not exceptionHandler, takes failures that are not the method\'s', async () => {
  const h = failingWith({ code: 'NOT_FOUND', message: 'no such method' });
  const { seen, handler } = recorder();
  const error = await h.pagewire.proxy('Calc', { sqrt: [1] })
    .sqrt(1, { exceptionHandler: handler('exception'), errorHandler: handler('error') }).catch((e) => e);
  assert.deepEqual(seen, [['error', 'no such method', error]]);
});

test('the global error handler takes what no per-call handler does, and only that', async () => {
  const h = failingWith({ code: 'NOT_FOUND', message: 'gone' });
  const { seen, handler } = recorder();
  h.pagewire.setErrorHandler(handler('global'));
  const Calc = h.pagewire.proxy('Calc', { sqrt: [1] });
  const errors = await Promise.all([
    Calc.sqrt(1).catch((e) => e),
    Calc.sqrt(2, { errorHandler: handler('own') }).catch((e) => e),
    Calc.sqrt(3, { exceptionHandler: handler('exception') }).catch((e) => e),
  ]);
  assert.deepEqual(seen, [['global', 'gone', errors[0]], ['own', 'gone', errors[1]], ['global', 'gone', errors[2]]]);

  h.pagewire.setErrorHandler(null);
  await Calc.sqrt(4).catch(() => {});
  assert.equal(seen.length, 3);
});

test('the error event fires for every failed call, handled or not', async () => {
  const h = failingWith(EXCEPTION);
  const Calc = h.pagewire.proxy('Calc', { sqrt: [1] });
  const errors = await Promise.all([
    Calc.sqrt(1).catch((e) => e),
    Calc.sqrt(2, { errorHandler() {} }).catch((e) => e),
  ]);
  assert.deepEqual(h.events.filter((e) => e.event === 'error').map((e) => e.detail), errors);
});

test('a handled failure still rejects, but is not reported as an unhandled rejection', async () => {
  const unhandled = [];
  const listener = (reason) => unhandled.push(reason);
  process.on('unhandledRejection', listener);
  try {
    const h = failingWith(EXCEPTION);
    const Calc = h.pagewire.proxy('Calc', { sqrt: [1] });
    let handled = 0;
    const call = Calc.sqrt(-1, { errorHandler: () => handled++ }); // nobody awaits it yet
    const grouped = h.pagewire.batch(() => { Calc.sqrt(-2); }, { errorHandler: () => handled++ });
    await settle();
    await settle();
    assert.equal(handled, 2);
    assert.deepEqual(unhandled, []);
    await assert.rejects(call, { name: 'InvalidInput' });
    await assert.rejects(grouped, { name: 'InvalidInput' });
  } finally {
    process.off('unhandledRejection', listener);
  }
});

test('off() removes a listener', async () => {
  const h = failingWith(EXCEPTION);
  let count = 0;
  const listener = () => count++;
  h.pagewire.on('error', listener);
  h.pagewire.off('error', listener);
  await h.pagewire.proxy('Calc', { sqrt: [1] }).sqrt(1).catch(() => {});
  assert.equal(count, 0);
  assert.equal(h.events.length, 2, 'the harness listener still ran (connect + error)');
});

test('a refused request fails every call of the batch with its code and message', async () => {
  const h = createHarness({
    onCall: () => jsonReply(413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body exceeds 1048576 bytes' } }),
  });
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  const results = await Promise.allSettled([Echo.echo('a'), Echo.echo('b')]);
  for (const [index, result] of results.entries()) {
    assert.equal(result.status, 'rejected');
    assert.equal(result.reason.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(result.reason.name, 'PagewireError');
    assert.equal(result.reason.message, 'request body exceeds 1048576 bytes');
    assert.equal(result.reason.proxy, 'Echo');
    assert.notEqual(result.reason, results[1 - index].reason, 'each call has its own Error');
  }
});

test('a fetch that throws fails the calls with NETWORK', async () => {
  const h = createHarness({ onCall: () => { throw new TypeError('Failed to fetch'); } });
  await assert.rejects(h.pagewire.proxy('Echo', { echo: [1] }).echo('a'), (error) => {
    assert.equal(error.code, 'NETWORK');
    assert.equal(error.name, 'PagewireError');
    assert.match(error.message, /Failed to fetch/);
    return true;
  });
});

test('a reply that is not JSON fails the calls with NETWORK, naming the status', async () => {
  const h = createHarness({ onCall: () => textReply(502) });
  await assert.rejects(h.pagewire.proxy('Echo', { echo: [1] }).echo('a'), { code: 'NETWORK', message: /HTTP 502/ });
});

test('a call the reply leaves out fails; the others succeed', async () => {
  const h = createHarness({ onCall: (r) => jsonReply(200, { replies: [{ id: r.body.calls[0].id, result: 'ok' }] }) });
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  const [first, second] = await Promise.allSettled([Echo.echo('a'), Echo.echo('b')]);
  assert.deepEqual(first, { status: 'fulfilled', value: 'ok' });
  assert.equal(second.reason.code, 'NETWORK');
});

test('a void result (result absent) resolves with null', async () => {
  const h = createHarness({ onCall: (r) => jsonReply(200, { replies: [{ id: r.body.calls[0].id }] }) });
  assert.equal(await h.pagewire.proxy('Log', { write: [1] }).write('x'), null);
});

test('a callback that throws does not stop the other calls from settling', async (t) => {
  const reported = [];
  t.mock.method(console, 'error', (error) => reported.push(error));
  const h = createHarness();
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  const oops = new Error('page bug');
  const results = await Promise.all([Echo.echo('a', () => { throw oops; }), Echo.echo('b')]);
  assert.deepEqual(results, ['a', 'b']);
  assert.deepEqual(reported, [oops]);
});
