'use strict';
// The handshake, its failures, and recovery when the server no longer knows the page.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, settle, handshakeReply, echoReplies } = require('../test-support/harness.js');

const PAGE_UNKNOWN = jsonReply(410, { error: { code: 'PAGE_UNKNOWN', message: 'no such page' } });

/** /call answers 410 for pages in `lost`, else echoes. */
function serverThatForgot(lost) {
  return (request) => (lost.has(request.headers['Pagewire-Page']) ? PAGE_UNKNOWN : echoReplies(request));
}

test('PAGE_UNKNOWN: re-handshake, resync, and the same batch is sent again', async () => {
  const lost = new Set();
  const h = createHarness({ onCall: serverThatForgot(lost) });
  const first = await h.pagewire.start();
  lost.add(first);
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });

  assert.deepEqual(await Promise.all([Echo.echo('a'), Echo.echo('b')]), ['a', 'b']);

  const second = h.pagewire.pageId;
  assert.notEqual(second, first);
  assert.equal(h.handshakeRequests().length, 2);
  const [refused, resent] = h.callRequests();
  assert.deepEqual(resent.body.calls, refused.body.calls, 'same calls, same ids');
  assert.ok(resent.body.batch > refused.body.batch, 'a batch number of its own on the new page');
  assert.equal(resent.headers['Pagewire-Page'], second);
  assert.equal(resent.headers['Pagewire-Token'], second.replace('P', 'T'));
  assert.deepEqual(h.events, [
    { event: 'connect', detail: { page: first, mode: 'passive' } },
    { event: 'disconnect', detail: { page: first, code: 'PAGE_UNKNOWN' } },
    { event: 'connect', detail: { page: second, mode: 'passive' } },
    { event: 'resync', detail: { page: second, reason: 'lost' } },
  ]);
});

test('PAGE_UNKNOWN twice for the same batch rejects its calls', async () => {
  const h = createHarness({ onCall: () => PAGE_UNKNOWN });
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  await assert.rejects(Echo.echo('a'), { code: 'PAGE_UNKNOWN', name: 'PagewireError', message: 'no such page' });
  assert.equal(h.handshakeRequests().length, 2, 'one handshake, one re-handshake');
  assert.equal(h.callRequests().length, 2);
});

test('batches that find the page gone at the same time share one re-handshake', async () => {
  const lost = new Set();
  const h = createHarness({ onCall: serverThatForgot(lost) });
  lost.add(await h.pagewire.start());
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  const one = Echo.echo('one');
  await Promise.resolve(); // the first batch is flushed in this microtask; the next call starts another
  const two = h.pagewire.batch(() => { Echo.echo('two'); });

  assert.equal(await one, 'one');
  assert.deepEqual(await two, ['two']);
  assert.equal(h.callRequests().length, 4);
  assert.equal(h.handshakeRequests().length, 2);
  assert.equal(h.events.filter((e) => e.event === 'resync').length, 1);
});

test('a failed handshake rejects the calls waiting for it; a later call tries again', async () => {
  let refuse = true;
  const h = createHarness({
    onHandshake: () => (refuse
      ? jsonReply(403, { error: { code: 'FORBIDDEN_ORIGIN', message: 'origin not allowed' } })
      : handshakeReply()),
  });
  let readyValue;
  h.pagewire.ready.then((id) => { readyValue = id; });
  h.pagewire.start();
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  await assert.rejects(Echo.echo('a'), (error) => {
    assert.equal(error.code, 'FORBIDDEN_ORIGIN');
    assert.equal(error.message, 'origin not allowed');
    assert.equal(error.proxy, 'Echo');
    assert.equal(error.cause.code, 'FORBIDDEN_ORIGIN', 'the handshake error is the cause');
    return true;
  });
  assert.equal(h.callRequests().length, 0);
  assert.equal(h.pagewire.pageId, null);
  assert.equal(readyValue, undefined);
  const errors = h.events.filter((e) => e.event === 'error').map((e) => e.detail);
  assert.deepEqual(errors.map((e) => [e.code, e.proxy]), [['FORBIDDEN_ORIGIN', undefined], ['FORBIDDEN_ORIGIN', 'Echo']]);

  refuse = false;
  assert.equal(await Echo.echo('b'), 'b');
  assert.equal(h.handshakeRequests().length, 2);
  await settle();
  assert.equal(readyValue, h.pagewire.pageId);
});

test('a handshake that cannot reach the server fails with NETWORK', async () => {
  const h = createHarness({ onHandshake: () => { throw new TypeError('Failed to fetch'); } });
  await assert.rejects(h.pagewire.proxy('Echo', { echo: [1] }).echo('a'), { code: 'NETWORK', message: /Failed to fetch/ });
});

test('a handshake reply without page and token fails with NETWORK', async () => {
  const h = createHarness({ onHandshake: () => jsonReply(200, { hello: 'world' }) });
  await assert.rejects(h.pagewire.proxy('Echo', { echo: [1] }).echo('a'), { code: 'NETWORK', message: /HTTP 200/ });
});

test('a call without start() starts the handshake itself', async () => {
  const h = createHarness();
  assert.equal(await h.pagewire.proxy('Echo', { echo: [1] }).echo('a'), 'a');
  assert.equal(h.handshakeRequests().length, 1);
});

test('createPagewire requires base and strips a trailing slash', async () => {
  const { createPagewire } = require('../src/engine.js');
  assert.throws(() => createPagewire({}), TypeError);
  const urls = [];
  const pagewire = createPagewire({
    base: '/app/pagewire/',
    path: '/p/',
    fetch: async (url) => { urls.push(url); return jsonReply(200, { page: 's', token: 't', delivery: { mode: 'passive' } }); },
  });
  assert.equal(await pagewire.start(), 's');
  assert.equal(urls[0], '/app/pagewire/handshake');
});

test('DWR-era names still work: pagewire.sessionId is the page id, option page is the path when path is absent', async () => {
  const h = createHarness({ engine: { path: undefined, page: '/legacy/' } });
  assert.equal(h.pagewire.sessionId, null);
  const id = await h.pagewire.start();
  assert.equal(h.pagewire.sessionId, id);
  assert.equal(h.pagewire.sessionId, h.pagewire.pageId);
  assert.deepEqual(h.handshakeRequests()[0].body, { path: '/legacy/' });

  const both = createHarness({ engine: { path: '/new/', page: '/legacy/' } });
  await both.pagewire.start();
  assert.deepEqual(both.handshakeRequests()[0].body, { path: '/new/' }, 'path wins over page');
});

// ---- Page lost while receiving updates ----

test('a poll answered PAGE_UNKNOWN: stop, disconnect, re-handshake, resync, poll again from ack 0', async () => {
  const lost = new Set();
  let seq = 0;
  const h = createHarness({
    delivery: { mode: 'polling', pollMillis: 1000 },
    onPoll: (r) => (lost.has(r.headers['Pagewire-Page'])
      ? PAGE_UNKNOWN
      : jsonReply(200, { updates: [{ seq: ++seq, call: 'ui.add', args: [] }] })),
  });
  h.pagewire.expose('ui', { add() {} });
  const first = await h.pagewire.start();
  await settle();
  lost.add(first);
  seq = 0; // the new page numbers from 1 again
  h.timers.advance(1000);
  await settle();
  const second = h.pagewire.pageId;
  assert.notEqual(second, first);
  assert.deepEqual(h.events.map((e) => [e.event, e.detail.page, e.detail.code || e.detail.reason || e.detail.mode]), [
    ['connect', first, 'polling'],
    ['mode', undefined, 'polling'],
    ['disconnect', first, 'PAGE_UNKNOWN'],
    ['connect', second, 'polling'],
    ['resync', second, 'lost'],
  ]);
  assert.deepEqual(h.pollRequests().map((r) => [r.headers['Pagewire-Page'], r.body.ack]),
    [[first, 0], [first, 1], [second, 0]]);
  h.timers.advance(1000);
  await settle();
  assert.deepEqual(h.pollRequests().at(-1).body, { ack: 1 }, 'the new page\'s update 1 was applied');
  assert.equal(h.timers.pending, 1, 'one transport');
});

test('a call and a poll that find the page gone together share one re-handshake', async () => {
  const lost = new Set();
  const h = createHarness({
    delivery: { mode: 'comet' },
    onCall: serverThatForgot(lost),
    onPoll: (r) => (lost.has(r.headers['Pagewire-Page']) ? PAGE_UNKNOWN : new Promise(() => {})),
  });
  const first = await h.pagewire.start();
  lost.add(first);
  h.pagewire.reverseAjax('comet'); // a new held poll, refused
  assert.equal(await h.pagewire.proxy('Echo', { echo: [1] }).echo('a'), 'a');
  await settle();
  assert.equal(h.handshakeRequests().length, 2);
  assert.equal(h.eventsOf('resync').length, 1);
  assert.equal(h.eventsOf('disconnect').length, 1);
  assert.equal(h.pollRequests().filter((r) => r.headers['Pagewire-Page'] !== first).length, 1, 'one comet loop');
});

test('when the re-handshake fails, an active page keeps trying with backoff', async () => {
  let down = false;
  const h = createHarness({
    delivery: { mode: 'polling', pollMillis: 1000 },
    onHandshake: () => { if (down) throw new TypeError('Failed to fetch'); return handshakeReply(undefined, { mode: 'polling', pollMillis: 1000 }); },
    onPoll: (r) => (r.headers['Pagewire-Page'] === first ? PAGE_UNKNOWN : jsonReply(200, { updates: [] })),
  });
  let first = null;
  first = await h.pagewire.start();
  down = true;
  await settle();
  assert.equal(h.pagewire.pageId, null);
  assert.deepEqual(h.eventsOf('error').map((e) => e.code), ['NETWORK']);
  h.timers.advance(1000);
  await settle();
  assert.equal(h.handshakeRequests().length, 3);
  down = false;
  h.timers.advance(2000);
  await settle();
  assert.equal(h.handshakeRequests().length, 4);
  assert.notEqual(h.pagewire.pageId, null);
  assert.deepEqual(h.eventsOf('resync').map((e) => e.reason), ['lost']);
});

test('a server that forgets every new page gets handshakes with backoff, not at full speed', async () => {
  let handshakes = 0;
  const h = createHarness({
    delivery: { mode: 'polling' },
    onPoll: () => PAGE_UNKNOWN,
    // Bounded, so that a loop without backoff fails this test instead of hanging it.
    onHandshake: () => (++handshakes <= 5 ? handshakeReply(undefined, { mode: 'polling' }) : new Promise(() => {})),
  });
  await h.pagewire.start();
  await settle();
  assert.equal(h.handshakeRequests().length, 2, 'the first renewal is at once');
  assert.deepEqual(h.timers.delays(), [1000]);
  h.timers.advance(1000);
  await settle();
  assert.equal(h.handshakeRequests().length, 3);
  assert.deepEqual(h.timers.delays(), [2000]);
  assert.equal(h.eventsOf('resync').length, 2);
});

test('NO_HTTP_SESSION_COOKIE is reported, never answered with a new handshake', async () => {
  const NO_COOKIE = jsonReply(403, { error: { code: 'NO_HTTP_SESSION_COOKIE', message: 'the request carries no HTTP session cookie' } });
  const h = createHarness({
    delivery: { mode: 'polling' },
    onCall: () => NO_COOKIE,
    onPoll: () => NO_COOKIE,
  });
  await h.pagewire.start();
  await settle();
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  await assert.rejects(Echo.echo('a'), { code: 'NO_HTTP_SESSION_COOKIE', message: 'the request carries no HTTP session cookie' });
  assert.equal(h.handshakeRequests().length, 1, 'one handshake only');
  const errors = h.eventsOf('error').map((e) => e.code);
  assert.ok(errors.length > 0 && errors.every((code) => code === 'NO_HTTP_SESSION_COOKIE'), String(errors));
  assert.equal(h.pagewire.mode, 'passive', 'the refused poll stopped polling');
  assert.equal(h.timers.pending, 0, 'nothing retries');
});

test('a passive page confirms itself at once with an empty ack; an active page by its first poll', async () => {
  const passive = createHarness();
  await passive.pagewire.start();
  await settle();
  assert.deepEqual(passive.ackRequests().map((r) => [r.body, r.headers['Pagewire-Page']]), [[{ ack: 0 }, passive.pagewire.pageId]]);

  const polling = createHarness({ delivery: { mode: 'polling' } });
  await polling.pagewire.start();
  await settle();
  assert.equal(polling.ackRequests().length, 0);
  assert.equal(polling.pollRequests().length, 1);
});

test('a handshake refused with 429 pauses handshakes for Retry-After; calls made meanwhile wait for it', async () => {
  let refuse = true;
  const tooMany = {
    ...jsonReply(429, { error: { code: 'TOO_MANY_HANDSHAKES', message: 'too many new pages from this address' } }),
    headers: { get: (name) => (name === 'Retry-After' ? '3' : null) },
  };
  const h = createHarness({ onHandshake: () => (refuse ? tooMany : handshakeReply()) });
  h.pagewire.start();
  await settle();
  assert.deepEqual(h.eventsOf('error').map((e) => e.code), ['TOO_MANY_HANDSHAKES']);
  refuse = false;
  const Echo = h.pagewire.proxy('Echo', { echo: [1] });
  const answer = Echo.echo('a');
  await settle();
  assert.equal(h.handshakeRequests().length, 1, 'no handshake during the pause');
  h.timers.advance(2999);
  await settle();
  assert.equal(h.handshakeRequests().length, 1);
  h.timers.advance(1);
  assert.equal(await answer, 'a');
  assert.equal(h.handshakeRequests().length, 2);
});
