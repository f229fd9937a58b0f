'use strict';
// How a proxy function reads its arguments: trailing callback, trailing options object,
// arity checks (DWR style).
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, settle } = require('../test-support/harness.js');

function sentArgs(h) {
  return h.callRequests().flatMap((r) => r.body.calls.map((c) => c.args));
}

test('a trailing function is the callback and is not sent', async () => {
  const h = createHarness();
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  let got;
  const result = await Echo.echo('hi', (value) => { got = value; });
  assert.equal(got, 'hi');
  assert.equal(result, 'hi');
  assert.deepEqual(sentArgs(h), [['hi']]);
});

test('a callback alone works for a method without parameters', async () => {
  const h = createHarness({ onCall: (r) => ({ status: 200, ok: true, json: async () => ({ replies: [{ id: r.body.calls[0].id, result: 42 }] }) }) });
  const Clock = h.pagewire.proxy('Clock', { now: [0] });
  let got;
  await Clock.now((value) => { got = value; });
  assert.equal(got, 42);
  assert.deepEqual(sentArgs(h), [[]]);
});

test('a trailing plain object is options when only the shorter count is an arity', async () => {
  const h = createHarness();
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  let got;
  // Not an option key, but echo takes one argument, so the second must be options.
  await Echo.echo('hi', { callback: (v) => { got = v; }, somethingElse: true });
  assert.equal(got, 'hi');
  assert.deepEqual(sentArgs(h), [['hi']]);
});

test('a trailing plain object with other keys is an argument when the full count is an arity', async () => {
  const h = createHarness();
  const Store = h.pagewire.proxy('Store', { save: [1, 2] });
  await Store.save('key', { timeout: 5, colour: 'red' });
  assert.deepEqual(sentArgs(h), [['key', { timeout: 5, colour: 'red' }]]);
});

test('a trailing plain object with only option keys is options even when the full count is an arity', async () => {
  const h = createHarness();
  const Store = h.pagewire.proxy('Store', { save: [1, 2] });
  let got;
  await Store.save('key', { callback: (v) => { got = v; } });
  assert.equal(got, 'key');
  assert.deepEqual(sentArgs(h), [['key']]);
});

test('an object with a null prototype can be options', async () => {
  const h = createHarness();
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  const options = Object.create(null);
  let got;
  options.callback = (v) => { got = v; };
  await Echo.echo('x', options);
  assert.equal(got, 'x');
});

test('a trailing object that is not plain (a Date, a class instance) is always an argument', async () => {
  const h = createHarness();
  class Point { constructor() { this.timeout = 1; } }
  const Geo = h.pagewire.proxy('Geo', { at: [1, 2] });
  await Geo.at('a', new Point());
  await Geo.at('b', new Date(0));
  assert.deepEqual(sentArgs(h), [['a', { timeout: 1 }], ['b', '1970-01-01T00:00:00.000Z']]);
});

test('overloads: each arity listed is accepted', async () => {
  const h = createHarness();
  const Calc = h.pagewire.proxy('Calc', { add: [2, 3] });
  await Promise.all([Calc.add(1, 2), Calc.add(1, 2, 3)]);
  assert.deepEqual(sentArgs(h), [[1, 2], [1, 2, 3]]);
});

test('a wrong argument count rejects at once with NOT_FOUND and sends nothing', async () => {
  const h = createHarness();
  const Calc = h.pagewire.proxy('Calc', { add: [2, 3], neg: [1] });
  await assert.rejects(Calc.add(1), (error) => {
    assert.equal(error.name, 'PagewireError');
    assert.equal(error.code, 'NOT_FOUND');
    assert.equal(error.message, 'Calc.add takes 2 or 3 arguments, not 1');
    assert.equal(error.proxy, 'Calc');
    assert.equal(error.method, 'add');
    return true;
  });
  let called = false;
  await assert.rejects(Calc.neg(() => { called = true; }), { message: 'Calc.neg takes 1 argument, not 0' });
  assert.equal(called, false);
  // Dropping the object would leave 4, not an arity either: so it counts as a fifth argument.
  await assert.rejects(Calc.add(1, 2, 3, 4, { timeout: 1 }), { message: 'Calc.add takes 2 or 3 arguments, not 5' });
  await settle();
  assert.equal(h.requests.length, 0);
  assert.deepEqual(h.events.map((e) => e.detail.code), ['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
});

test('an argument JSON cannot carry fails only its own call', async () => {
  const h = createHarness();
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  const circular = {};
  circular.self = circular;
  const bad = Echo.echo(circular);
  const good = Echo.echo('fine');
  await assert.rejects(bad, { code: 'BAD_ARGUMENTS', name: 'PagewireError' });
  assert.equal(await good, 'fine');
  assert.deepEqual(sentArgs(h), [['fine']]);
});

test('the proxy object is frozen and has one function per method', () => {
  const h = createHarness();
  const Calc = h.pagewire.proxy('Calc', { add: [2], sub: [2] });
  assert.ok(Object.isFrozen(Calc));
  assert.deepEqual(Object.keys(Calc), ['add', 'sub']);
  assert.throws(() => { 'use strict'; Calc.add = null; }, TypeError);
  assert.throws(() => h.pagewire.proxy('Calc', { add: 2 }), TypeError);
});
