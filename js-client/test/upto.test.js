'use strict';
// upTo: a server whose update numbers are not consecutive (several nodes on a backend) says
// "this page has every update meant for it up to n"; the page's cursor, its ack, moves there.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, errorReply, deferred, settle } = require('../test-support/harness.js');

const add = (seq) => ({ seq, call: 'ui.add', args: [seq] });

/** A passive page whose next call reply carries `next` (updates, upTo) besides the replies. */
function passivePage() {
  let next = {};
  const h = createHarness({
    onCall: (r) => jsonReply(200, { replies: r.body.calls.map((c) => ({ id: c.id, result: c.args[0] })), ...next }),
  });
  const got = [];
  h.pagewire.expose('ui', { add(v) { got.push(v); } });
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  /** One call whose reply carries `extra`; resolves with its result. */
  const call = (extra = {}) => { next = extra; return Echo.echo('x').finally(() => { next = {}; }); };
  const acks = () => h.callRequests().map((r) => r.body.ack);
  return { ...h, got, call, acks };
}

test('a call reply with upTo moves the next request\'s ack there, after applying its updates', async () => {
  const h = passivePage();
  assert.equal(await h.call({ updates: [add(7)], upTo: 500 }), 'x');
  await h.call();
  assert.deepEqual(h.got, [7]);
  assert.deepEqual(h.acks(), [0, 500]);
  assert.equal(h.ackRequests().length, 1, 'only the one after the handshake: upTo sends nothing of its own');
});

test('an update numbered up to upTo arriving later is already covered: not applied', async () => {
  const h = passivePage();
  await h.call({ upTo: 500 });
  await h.call({ updates: [add(400), add(500), add(501)] });
  await h.call();
  assert.deepEqual(h.got, [501]);
  assert.deepEqual(h.acks(), [0, 500, 501]);
});

test('an upTo below the cursor does not lower it', async () => {
  const h = passivePage();
  await h.call({ updates: [add(900)] });
  await h.call({ upTo: 500 });
  await h.call({ updates: [add(600)], upTo: 700 });
  await h.call();
  assert.deepEqual(h.got, [900]);
  assert.deepEqual(h.acks(), [0, 900, 900, 900]);
});

test('a malformed upTo is ignored: the call settles and the cursor stays', async () => {
  const h = passivePage();
  await h.call({ updates: [add(3)] });
  for (const upTo of ['500', -1, 0, 1.5, 2 ** 53, null, { n: 500 }, [500], true]) {
    assert.equal(await h.call({ upTo }), 'x');
  }
  await h.call();
  assert.ok(h.acks().slice(1).every((ack) => ack === 3), `acks: ${h.acks()}`);
  assert.deepEqual(h.eventsOf('error'), []);
});

test('the upTo of a reply that came in a replaced page is ignored', async () => {
  const held = deferred();
  let seen = 0;
  const h = createHarness({
    onCall: (r) => {
      seen++;
      if (seen === 1) return held.promise; // call A, on the first page: answered last
      if (seen === 2) return errorReply(410, 'PAGE_UNKNOWN'); // call B finds that page gone
      return jsonReply(200, { replies: r.body.calls.map((c) => ({ id: c.id, result: c.args[0] })) });
    },
  });
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  const first = await h.pagewire.start();
  const a = Echo.echo('a');
  await settle();
  assert.equal(await Echo.echo('b'), 'b', 'sent again in a new page');
  assert.notEqual(h.pagewire.pageId, first);
  const [callA] = h.callRequests();
  held.resolve(jsonReply(200, { replies: callA.body.calls.map((c) => ({ id: c.id, result: 'a' })), upTo: 500 }));
  assert.equal(await a, 'a');
  await Echo.echo('c');
  assert.equal(h.callRequests().at(-1).body.ack, 0, 'numbers of the old page mean nothing in the new one');
});

test('a poll reply with upTo moves the next poll\'s ack there (polling)', async () => {
  const replies = [{ updates: [add(2)], upTo: 300 }, { updates: [], upTo: 200 }, { updates: [], upTo: 'x' }];
  const h = createHarness({
    delivery: { mode: 'polling', pollMillis: 100 },
    onPoll: () => jsonReply(200, replies.shift() || { updates: [] }),
  });
  h.pagewire.expose('ui', { add() {} });
  await h.pagewire.start();
  for (let i = 0; i < 3; i++) {
    await settle();
    h.timers.advance(100);
  }
  await settle();
  assert.deepEqual(h.pollRequests().map((r) => r.body.ack), [0, 300, 300, 300]);
});

test('a poll reply with upTo moves the next held poll\'s ack there (comet)', async () => {
  const held = [];
  const h = createHarness({
    delivery: { mode: 'comet' },
    onPoll: () => { const reply = deferred(); held.push(reply); return reply.promise; },
  });
  await h.pagewire.start();
  await settle();
  held.shift().resolve(jsonReply(200, { updates: [], upTo: 4242 }));
  await settle();
  assert.deepEqual(h.pollRequests().map((r) => r.body), [{ ack: 0, hold: true }, { ack: 4242, hold: true }]);
});

test('an SSE heartbeat with upTo moves the cursor: the next ack and reopened stream carry it', async () => {
  const h = createHarness({ delivery: { mode: 'sse', heartbeatMillis: 15000 } });
  const got = [];
  h.pagewire.expose('ui', { add(v) { got.push(v); } });
  await h.pagewire.start();
  const stream = () => h.streams.at(-1);
  stream().open();
  h.timers.advance(5000);
  stream().message(add(5));
  h.timers.advance(1000); // the delayed ack
  await settle();
  for (const data of ['{"upTo":800}', '{"upTo":700}', '{"upTo":"900"}', '{}', '{not json', 'null']) {
    stream().dispatch('hb', { data });
  }
  stream().message(add(800)); // covered already: not applied, and nothing to acknowledge
  h.timers.advance(5000);
  await settle();
  assert.deepEqual(got, [5]);
  assert.deepEqual(h.ackRequests().map((r) => r.body.ack), [5], 'a heartbeat sends no ack of its own');
  assert.equal(stream().closed, false, 'the heartbeats kept the stream alive');
  assert.equal(await h.pagewire.proxy('Echo', { echo: [1] }).echo('x'), 'x');
  assert.equal(h.callRequests()[0].body.ack, 800);

  stream().dispatch('hb', { data: '{"upTo":950}' });
  stream().fail();
  await settle();
  assert.deepEqual(h.pollRequests().map((r) => r.body), [{ ack: 950 }], 'the probe');
  assert.match(stream().url, /&ack=950$/);
});
