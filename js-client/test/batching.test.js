'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, deferred, settle, handshakeReply } = require('../test-support/harness.js');

const ECHO = { echo: [1], add: [2, 3], noop: [0] };

test('calls made in one task go out as one POST /call with the wire shape of PROTOCOL.md', async () => {
  const h = createHarness();
  h.pagewire.start();
  const Echo = h.pagewire.proxy('Echo', ECHO);
  const Calc = h.pagewire.proxy('Calc', ECHO);
  const results = await Promise.all([Echo.echo('hi'), Calc.add(1, 2), Echo.noop()]);

  assert.deepEqual(results, ['hi', 1, null]);
  const calls = h.callRequests();
  assert.equal(calls.length, 1);
  const [request] = calls;
  assert.equal(request.url, '/ctx/pagewire/call');
  assert.equal(request.init.method, 'POST');
  assert.equal(request.init.credentials, 'same-origin');
  const id = h.pagewire.pageId; // the harness pairs page Pn with token Tn
  assert.deepEqual(request.headers, {
    'Content-Type': 'application/json',
    'Pagewire-Page': id,
    'Pagewire-Token': id.replace('P', 'T'),
  });
  assert.deepEqual(request.body, {
    ack: 0,
    batch: 1,
    calls: [
      { id: 1, proxy: 'Echo', method: 'echo', args: ['hi'] },
      { id: 2, proxy: 'Calc', method: 'add', args: [1, 2] },
      { id: 3, proxy: 'Echo', method: 'noop', args: [] },
    ],
  });
});

test('every POST call carries the next batch number, so the server can answer a resent POST without running it twice', async () => {
  const h = createHarness();
  h.pagewire.start();
  const Echo = h.pagewire.proxy('Echo', ECHO);
  await Echo.echo('one');
  await Echo.echo('two');
  await Promise.all([Echo.echo('three'), Echo.echo('four')]);
  assert.deepEqual(h.callRequests().map((r) => r.body.batch), [1, 2, 3]);
});

test('the handshake posts the page, once, however often start() is called', async () => {
  const h = createHarness();
  assert.equal(h.pagewire.pageId, null);
  const first = h.pagewire.start();
  h.pagewire.start();
  const id = await first;

  assert.equal(h.handshakeRequests().length, 1);
  const [request] = h.handshakeRequests();
  assert.equal(request.url, '/ctx/pagewire/handshake');
  assert.deepEqual(request.body, { path: '/echo/' });
  assert.equal(request.headers['Content-Type'], 'application/json');
  assert.equal(request.init.credentials, 'same-origin');
  assert.equal(id, h.pagewire.pageId);
  assert.match(id, /^P\d+$/);
  assert.deepEqual(h.events, [{ event: 'connect', detail: { page: id, mode: 'passive' } }]);
  assert.equal(await h.pagewire.ready, id);
});

test('calls made before the handshake finishes wait for it', async () => {
  const handshake = deferred();
  const h = createHarness({ onHandshake: () => handshake.promise });
  h.pagewire.start();
  const result = h.pagewire.proxy('Echo', ECHO).echo('early');
  await settle();
  assert.equal(h.callRequests().length, 0);

  handshake.resolve(handshakeReply());
  assert.equal(await result, 'early');
  assert.equal(h.callRequests().length, 1);
});

test('calls in separate tasks go in separate requests and ids keep increasing', async () => {
  const h = createHarness();
  const Echo = h.pagewire.proxy('Echo', ECHO);
  await Echo.echo('a');
  await Echo.echo('b');

  const bodies = h.callRequests().map((r) => r.body.calls.map((c) => c.id));
  assert.deepEqual(bodies, [[1], [2]]);
});

test('replies are matched by id, whatever their order', async () => {
  const h = createHarness({
    onCall: () => jsonReply(200, { replies: [{ id: 2, result: 'second' }, { id: 1, result: 'first' }] }),
  });
  const Echo = h.pagewire.proxy('Echo', ECHO);
  assert.deepEqual(await Promise.all([Echo.echo('x'), Echo.echo('y')]), ['first', 'second']);
});

test('callbacks run in call order', async () => {
  const h = createHarness({
    onCall: () => jsonReply(200, { replies: [{ id: 2, result: 'b' }, { id: 1, result: 'a' }] }),
  });
  const Echo = h.pagewire.proxy('Echo', ECHO);
  const seen = [];
  const done = Promise.all([Echo.echo('x', (r) => seen.push(r)), Echo.echo('y', (r) => seen.push(r))]);
  await done;
  assert.deepEqual(seen, ['a', 'b']);
});

test('a batch larger than limits.maxCallsPerBatch is split into requests sent one after another', async () => {
  const held = [];
  const h = createHarness({
    onHandshake: () => handshakeReply({ maxCallsPerBatch: 2 }),
    onCall: (request) => {
      const reply = deferred();
      held.push({ request, reply });
      return reply.promise;
    },
  });
  const Echo = h.pagewire.proxy('Echo', ECHO);
  const all = Promise.all([1, 2, 3, 4, 5].map((n) => Echo.echo(n)));

  const answer = async () => {
    await settle();
    assert.equal(held.length, 1, 'the next chunk waits for the previous reply');
    const { request, reply } = held.shift();
    reply.resolve(jsonReply(200, { replies: request.body.calls.map((c) => ({ id: c.id, result: c.args[0] * 10 })) }));
    return request.body.calls.map((c) => c.id);
  };
  assert.deepEqual([await answer(), await answer(), await answer()], [[1, 2], [3, 4], [5]]);
  assert.deepEqual(await all, [10, 20, 30, 40, 50]);
});

test('undefined arguments travel as null and dates as ISO strings', async () => {
  const h = createHarness();
  const Calc = h.pagewire.proxy('Calc', { put: [3] });
  await Calc.put(undefined, new Date('2024-05-06T07:08:09.000Z'), { a: 1 });
  assert.deepEqual(h.callRequests()[0].body.calls[0].args, [null, '2024-05-06T07:08:09.000Z', { a: 1 }]);
});

test('arguments are captured when the call is made, not when the batch is sent', async () => {
  const h = createHarness();
  const Calc = h.pagewire.proxy('Calc', { put: [1] });
  const value = { n: 1 };
  const done = Calc.put(value);
  value.n = 2;
  await done;
  assert.deepEqual(h.callRequests()[0].body.calls[0].args, [{ n: 1 }]);
});

test('batch(fn) sends the calls fn makes in one request and resolves with their results', async () => {
  const h = createHarness();
  await h.pagewire.start();
  const Echo = h.pagewire.proxy('Echo', ECHO);
  const results = await h.pagewire.batch(() => {
    Echo.echo('one');
    Echo.add(2, 3);
  });
  assert.deepEqual(results, ['one', 2]);
  assert.equal(h.callRequests().length, 1);
  assert.deepEqual(h.callRequests()[0].body.calls.map((c) => c.method), ['echo', 'add']);
});

test('batch(fn) keeps its calls apart from calls queued outside it', async () => {
  const h = createHarness();
  await h.pagewire.start();
  const Echo = h.pagewire.proxy('Echo', ECHO);
  const outside = Echo.echo('outside');
  const inside = h.pagewire.batch(() => { Echo.echo('inside'); });
  assert.deepEqual(await inside, ['inside']);
  assert.equal(await outside, 'outside');
  assert.deepEqual(h.callRequests().map((r) => r.body.calls.map((c) => c.args[0])), [['inside'], ['outside']]);
});

test('a nested batch joins the outer request and resolves with its own calls', async () => {
  const h = createHarness();
  const Echo = h.pagewire.proxy('Echo', ECHO);
  let inner;
  const outer = h.pagewire.batch(() => {
    Echo.echo(1);
    inner = h.pagewire.batch(() => { Echo.echo(2); });
    Echo.echo(3);
  });
  assert.deepEqual(await inner, [2]);
  assert.deepEqual(await outer, [1, 2, 3]);
  assert.equal(h.callRequests().length, 1);
});

test('batch(fn) sends the calls made before fn threw, and lets the exception through', async () => {
  const h = createHarness();
  const Echo = h.pagewire.proxy('Echo', ECHO);
  let call;
  assert.throws(() => h.pagewire.batch(() => { call = Echo.echo('sent'); throw new RangeError('boom'); }), RangeError);
  assert.equal(await call, 'sent');
});

test('an empty batch resolves with [] and sends nothing', async () => {
  const h = createHarness();
  assert.deepEqual(await h.pagewire.batch(() => {}), []);
  await settle();
  assert.equal(h.requests.length, 0);
});
