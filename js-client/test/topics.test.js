'use strict';
// Topics: pagewire.subscribe and pagewire.publish as calls of PagewireTopics, topic updates
// handed to the handlers whose pattern matches, latest-value skips, resubscribing on a new page.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, echoReplies, settle } = require('../test-support/harness.js');

/** A harness whose call replies carry the updates in `pending`, and refuse what `refuse` names. */
function topicServer(refuse = new Set()) {
  const pending = [];
  const lost = new Set();
  const h = createHarness({
    onCall: (r) => {
      if (lost.has(r.headers['Pagewire-Page'])) return jsonReply(410, { error: { code: 'PAGE_UNKNOWN', message: 'gone' } });
      return jsonReply(200, {
        replies: r.body.calls.map((c) => (refuse.has(c.args[0])
          ? { id: c.id, error: { code: 'FORBIDDEN', message: `cannot ${c.method} ${c.args[0]}` } }
          : { id: c.id, result: null })),
        updates: pending.splice(0),
      });
    },
  });
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  /** Sends one call whose reply carries `updates`. */
  const push = (...updates) => { pending.push(...updates); return Echo.echo('x'); };
  const topicCalls = () => h.callRequests().flatMap((r) => r.body.calls)
    .filter((c) => c.proxy === 'PagewireTopics').map((c) => `${c.method} ${c.args.join(' ')}`);
  return { ...h, push, topicCalls, lost };
}

test('a subscription is one call per pattern; topic updates reach the handlers whose pattern matches', async () => {
  const h = topicServer();
  const got = [];
  const a = h.pagewire.subscribe('/stocks/*', (data, info) => got.push(`* ${info.topic} ${data.price}`));
  const b = h.pagewire.subscribe('/stocks/*', (data) => got.push(`*again ${data.price}`));
  const c = h.pagewire.subscribe('/stocks/**', (data, info) => got.push(`** ${info.topic}`));
  await Promise.all([a.ready, b.ready, c.ready]);
  assert.deepEqual(h.topicCalls(), ['subscribe /stocks/*', 'subscribe /stocks/**']);

  await h.push(
    { seq: 1, topic: '/stocks/ACME', data: { price: 12 } },
    { seq: 2, topic: '/stocks/ACME/bids', data: { price: 11 } },
    { seq: 3, topic: '/bonds/ACME', data: { price: 1 } },
  );
  assert.deepEqual(got, ['* /stocks/ACME 12', '*again 12', '** /stocks/ACME', '** /stocks/ACME/bids']);
  assert.deepEqual(h.eventsOf('error'), [], 'a topic nobody here wants is dropped silently');
});

test('the wildcards mean what the server means', async () => {
  const h = topicServer();
  const table = [
    ['/a/*', '/a/b', true], ['/a/*', '/a/b/c', false], ['/a/*', '/a', false], ['/a/**', '/a/b/c', true],
    ['/a/**', '/a', false], ['/*/b', '/x/b', true], ['/*/b', '/x/c', false], ['/a/b', '/a/b', true], ['/a/b', '/a/bc', false],
  ];
  const got = new Set();
  for (const [pattern] of table) h.pagewire.subscribe(pattern, (data, info) => got.add(`${pattern} ${info.topic}`));
  await h.push(...table.map(([, name], i) => ({ seq: i + 1, topic: name, data: null })));
  for (const [pattern, name, expected] of table) {
    assert.equal(got.has(`${pattern} ${name}`), expected, `${pattern} ${name}`);
  }
});

test('unsubscribing the last handler of a pattern tells the server; later updates are not handed over', async () => {
  const h = topicServer();
  const got = [];
  const one = h.pagewire.subscribe('/chat/lobby', (d) => got.push(`one ${d}`));
  const two = h.pagewire.subscribe('/chat/lobby', (d) => got.push(`two ${d}`));
  await one.ready;
  one.unsubscribe();
  await h.push({ seq: 1, topic: '/chat/lobby', data: 'a' });
  assert.deepEqual(h.topicCalls(), ['subscribe /chat/lobby'], 'another handler still wants it');
  two.unsubscribe();
  two.unsubscribe(); // again: nothing more
  await h.push({ seq: 2, topic: '/chat/lobby', data: 'b' });
  assert.deepEqual(got, ['two a']);
  assert.deepEqual(h.topicCalls(), ['subscribe /chat/lobby', 'unsubscribe /chat/lobby']);
});

test('a refused subscription rejects ready, fires error and ends', async () => {
  const h = topicServer(new Set(['/secret']));
  const got = [];
  const sub = h.pagewire.subscribe('/secret', (d) => got.push(d));
  await assert.rejects(sub.ready, { code: 'FORBIDDEN', message: 'cannot subscribe /secret' });
  assert.deepEqual(h.eventsOf('error').map((e) => e.code), ['FORBIDDEN']);
  await h.push({ seq: 1, topic: '/secret', data: 'x' });
  assert.deepEqual(got, []);
});

test('publish sends the data as JSON text and settles with the call', async () => {
  const h = topicServer(new Set(['/closed']));
  assert.equal(await h.pagewire.publish('/chat/lobby', { text: 'hi' }), undefined);
  await assert.rejects(h.pagewire.publish('/closed', 1), { code: 'FORBIDDEN' });
  const publishes = h.callRequests().flatMap((r) => r.body.calls).filter((c) => c.method === 'publish');
  assert.deepEqual(publishes.map((c) => c.args), [['/chat/lobby', '{"text":"hi"}'], ['/closed', '1']]);
  assert.throws(() => h.pagewire.publish('chat', 1), TypeError);
});

test('latest-value updates tell how many values of their key the page skipped', async () => {
  const h = topicServer();
  const got = [];
  h.pagewire.subscribe('/prices/*', (d, info) => got.push(`${info.key} ${d} skipped ${info.skipped}`));
  await h.push(
    { seq: 1, topic: '/prices/ACME', key: 'ACME', version: 1, data: 10 },
    { seq: 2, topic: '/prices/IBM', key: 'IBM', version: 3, data: 20 },
    { seq: 4, topic: '/prices/ACME', key: 'ACME', version: 5, data: 14 }, // 2, 3 and 4 were replaced while queued
    { seq: 5, topic: '/prices/IBM', key: 'IBM', version: 4, data: 21 },
  );
  assert.deepEqual(got, ['ACME 10 skipped 0', 'IBM 20 skipped 0', 'ACME 14 skipped 3', 'IBM 21 skipped 0']);
});

test('on the page that replaces a lost one, every subscription is made again', async () => {
  const h = topicServer();
  const got = [];
  await h.pagewire.subscribe('/a/*', (d) => got.push(d)).ready;
  h.pagewire.subscribe('/b', () => {}).unsubscribe();
  await settle();
  const first = h.pagewire.pageId;
  h.lost.add(first);
  await h.push(); // PAGE_UNKNOWN: a new handshake, the call sent again
  await settle();
  const second = h.pagewire.pageId;
  assert.notEqual(second, first);
  const onSecond = h.callRequests().filter((r) => r.headers['Pagewire-Page'] === second)
    .flatMap((r) => r.body.calls).filter((c) => c.proxy === 'PagewireTopics').map((c) => `${c.method} ${c.args[0]}`);
  assert.deepEqual(onSecond, ['subscribe /a/*']);
  await h.push({ seq: 1, topic: '/a/x', data: 'after' });
  assert.deepEqual(got, ['after']);
});

test('a second handler of a refused pattern learns the refusal too, and both end', async () => {
  const h = topicServer(new Set(['/secret']));
  const got = [];
  const one = h.pagewire.subscribe('/secret', (d) => got.push(`one ${d}`));
  const two = h.pagewire.subscribe('/secret', (d) => got.push(`two ${d}`));
  await assert.rejects(one.ready, { code: 'FORBIDDEN' });
  await assert.rejects(two.ready, { code: 'FORBIDDEN' });
  await h.push({ seq: 1, topic: '/secret', data: 'x' });
  assert.deepEqual(got, []);
  assert.deepEqual(h.topicCalls(), ['subscribe /secret'], 'one call for the pattern');
});
