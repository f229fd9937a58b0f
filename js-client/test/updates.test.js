'use strict';
// Applying pushed updates: calls of exposed functions, scripts, resync; order, duplicates, failures.
// Updates ride on call replies here (passive delivery); the transports have their own tests.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, settle } = require('../test-support/harness.js');

/** A harness whose next call reply carries the updates in `pending`, then none. */
function withUpdates() {
  const pending = [];
  const h = createHarness({
    onCall: (r) => jsonReply(200, {
      replies: r.body.calls.map((c) => ({ id: c.id, result: c.args[0] })),
      updates: pending.splice(0),
    }),
  });
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  /** Sends one call whose reply carries `updates`; resolves when it settled. */
  const push = (...updates) => { pending.push(...updates); return Echo.echo('x'); };
  const lastAck = () => h.callRequests().at(-1).body.ack;
  return { ...h, push, Echo, lastAck };
}

test('call updates run exposed functions in order, with their object as this and JSON arguments', async () => {
  const h = withUpdates();
  const log = [];
  h.pagewire.expose('chatUi', {
    prefix: '>',
    addMessage(message, extra) { log.push(`${this.prefix} ${message.from}: ${message.text} ${extra}`); },
  });
  await h.push(
    { seq: 1, call: 'chatUi.addMessage', args: [{ from: 'ann', text: 'hi' }, 1] },
    { seq: 2, call: 'chatUi.addMessage', args: [{ from: 'bob', text: 'yo' }, 2] },
  );
  assert.deepEqual(log, ['> ann: hi 1', '> bob: yo 2']);
  assert.deepEqual(h.eventsOf('error'), []);
});

test('updates of a reply are applied before its calls settle', async () => {
  const h = withUpdates();
  const seen = [];
  h.pagewire.expose('ui', { set(v) { seen.push(`update ${v}`); } });
  h.push({ seq: 1, call: 'ui.set', args: ['a'] });
  await h.Echo.echo('x', (result) => seen.push(`callback ${result}`)).then((r) => seen.push(`promise ${r}`));
  assert.deepEqual(seen, ['update a', 'callback x', 'promise x']);
});

test('numbers already applied are dropped; the ack is the highest applied', async () => {
  const h = withUpdates();
  const got = [];
  h.pagewire.expose('ui', { add(v) { got.push(v); } });
  await h.push({ seq: 1, call: 'ui.add', args: [1] }, { seq: 2, call: 'ui.add', args: [2] });
  await h.push(
    { seq: 2, call: 'ui.add', args: [2] }, // sent again: the reply with our ack was lost
    { seq: 3, call: 'ui.add', args: [3] },
    { seq: 3, call: 'ui.add', args: [3] },
    { seq: 1, call: 'ui.add', args: [1] },
  );
  assert.deepEqual(got, [1, 2, 3]);
  await h.push();
  assert.equal(h.lastAck(), 3);
});

test('a dotted name names the object before the last dot; a bare name an exposed function', async () => {
  const h = withUpdates();
  const got = [];
  h.pagewire.expose('app.chat', { add(v) { got.push(`app.chat.add ${v}`); } });
  h.pagewire.expose('alertUser', function (v) { got.push(`alertUser ${v} ${this}`); });
  await h.push({ seq: 1, call: 'app.chat.add', args: ['a'] }, { seq: 2, call: 'alertUser', args: ['b'] });
  assert.deepEqual(got, ['app.chat.add a', 'alertUser b undefined']);
  assert.deepEqual(h.eventsOf('error'), []);
});

test('an unknown function fires error UNKNOWN_FUNCTION and still counts as applied', async () => {
  const h = withUpdates();
  const ui = { add() {} };
  h.pagewire.expose('chatUi', ui);
  h.pagewire.expose('fn', () => {});
  const paths = ['chatUi.missing', 'other.add', 'chatUi', 'chatUi.toString', 'chatUi.constructor',
    'chatUi.__proto__', 'fn.call', 'fn.bind', 'nothing'];
  await h.push(...paths.map((call, i) => ({ seq: i + 1, call, args: [] })));
  const errors = h.eventsOf('error');
  assert.deepEqual(errors.map((e) => e.message), paths.map((p) => `No exposed function ${p}`));
  assert.ok(errors.every((e) => e.code === 'UNKNOWN_FUNCTION' && e.name === 'PagewireError'));
  await h.push();
  assert.equal(h.lastAck(), paths.length);
});

test('a handler that throws fires error UPDATE_FAILED; later updates still run', async () => {
  const h = withUpdates();
  const oops = new Error('page bug');
  const got = [];
  h.pagewire.expose('ui', { render() { throw oops; }, add(v) { got.push(v); } });
  await h.push({ seq: 1, call: 'ui.render', args: [] }, { seq: 2, call: 'ui.add', args: ['after'] });
  const [error] = h.eventsOf('error');
  assert.equal(error.code, 'UPDATE_FAILED');
  assert.equal(error.message, 'ui.render failed: page bug');
  assert.equal(error.cause, oops);
  assert.deepEqual(got, ['after']);
  await h.push();
  assert.equal(h.lastAck(), 2);
});

test('script updates are refused unless the page allowed them', async () => {
  const h = withUpdates();
  globalThis.__pagewireScriptRan = 0;
  try {
    await h.push({ seq: 1, script: 'globalThis.__pagewireScriptRan++;' });
    assert.equal(globalThis.__pagewireScriptRan, 0);
    assert.deepEqual(h.eventsOf('error').map((e) => e.code), ['SCRIPT_REFUSED']);

    h.pagewire.allowScriptUpdates(true);
    await h.push(
      { seq: 2, script: 'globalThis.__pagewireScriptRan++;' },
      // Global scope: the engine's own variables are out of reach.
      { seq: 3, script: 'globalThis.__pagewireSawEngine = typeof lastApplied !== "undefined";' },
      { seq: 4, script: 'throw new Error("bad script")' },
    );
    assert.equal(globalThis.__pagewireScriptRan, 1);
    assert.equal(globalThis.__pagewireSawEngine, false);
    const failed = h.eventsOf('error')[1];
    assert.equal(failed.code, 'UPDATE_FAILED');
    assert.match(failed.message, /bad script/);

    h.pagewire.allowScriptUpdates(false);
    await h.push({ seq: 5, script: 'globalThis.__pagewireScriptRan++;' });
    assert.equal(globalThis.__pagewireScriptRan, 1);
  } finally {
    delete globalThis.__pagewireScriptRan;
    delete globalThis.__pagewireSawEngine;
  }
});

test('a resync update fires resync with reason overflow and moves the ack to its number', async () => {
  const h = withUpdates();
  const got = [];
  h.pagewire.expose('ui', { add(v) { got.push(v); } });
  await h.push({ seq: 7, resync: true }, { seq: 8, call: 'ui.add', args: [8] });
  assert.deepEqual(h.eventsOf('resync'), [{ page: h.pagewire.pageId, reason: 'overflow' }]);
  assert.deepEqual(got, [8]);
  await h.push();
  assert.equal(h.lastAck(), 8);
});

test('a malformed update fires error UPDATE_FAILED and the others are applied', async () => {
  const h = withUpdates();
  const got = [];
  h.pagewire.expose('ui', { add(v) { got.push(v); } });
  await h.push(null, { call: 'ui.add', args: [0] }, { seq: 1, hello: true }, { seq: 2, call: 'ui.add', args: [2] });
  assert.deepEqual(h.eventsOf('error').map((e) => e.code), ['UPDATE_FAILED', 'UPDATE_FAILED', 'UPDATE_FAILED']);
  assert.deepEqual(got, [2]);
});

test('without error listeners, a failed update is reported to the console', async () => {
  const { createPagewire } = require('../src/engine.js');
  const pagewire = createPagewire({
    base: '/p',
    fetch: async (url, init) => (url.endsWith('/handshake')
      ? jsonReply(200, { page: 's', token: 't', delivery: { mode: 'passive' } })
      : jsonReply(200, { replies: [{ id: JSON.parse(init.body).calls[0].id, result: 1 }], updates: [{ seq: 1, call: 'nope', args: [] }] })),
  });
  const logged = [];
  const original = console.error;
  console.error = (error) => logged.push(error);
  try {
    await pagewire.proxy('Echo', { echo: [1] }).echo(1);
  } finally {
    console.error = original;
  }
  assert.deepEqual(logged.map((e) => e.code), ['UNKNOWN_FUNCTION']);
});

test('an unknown function is reported to the server once per name', async () => {
  const h = withUpdates();
  h.pagewire.expose('ui', { add() {} });
  await h.push({ seq: 1, call: 'ui.missing', args: [] }, { seq: 2, call: 'other.add', args: [] });
  await h.push({ seq: 3, call: 'ui.missing', args: [] }, { seq: 4, call: 'ui.add', args: [] });
  await settle();
  const reports = h.requests.filter((r) => r.url === '/ctx/pagewire/unexposed');
  assert.deepEqual(reports.map((r) => r.body), [{ function: 'ui.missing' }, { function: 'other.add' }]);
  assert.ok(reports.every((r) => r.headers['Pagewire-Page'] && r.headers['Pagewire-Token']), 'as the page');
});
