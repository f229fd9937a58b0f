'use strict';
// WebSocket: hello with the token in the first frame, updates and acks over the socket, calls
// over the socket while it is open, a drop fails unanswered calls and reconnects after a probe.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, settle } = require('../test-support/harness.js');

/** A started websocket page whose socket is open (the hello answered), unless `open` is false. */
async function socketPage({ onPoll, delivery = {}, engine, open = true } = {}) {
  const h = createHarness({ delivery: { mode: 'websocket', ackDelayMillis: 1000, ...delivery }, onPoll, engine });
  const got = [];
  h.pagewire.expose('ui', { add(v) { got.push(v); } });
  h.Echo = h.pagewire.proxy('Echo', { echo: [1] });
  await h.pagewire.start();
  const socket = () => h.sockets.at(-1);
  if (open) socket().open();
  return { ...h, got, socket };
}

const add = (seq) => ({ seq, call: 'ui.add', args: [seq] });

async function advance(h, ms) {
  h.timers.advance(ms);
  await settle();
}

test('the socket is {base}/socket on the page host; the id, token and ack go in the hello frame, not the URL', async () => {
  const h = await socketPage({ open: false });
  assert.equal(h.pagewire.mode, 'websocket');
  assert.deepEqual(h.sockets.map((s) => s.url), ['ws://localhost/ctx/pagewire/socket']);
  h.socket().open(false);
  const id = h.pagewire.pageId; // the harness's pages are Pn, with token Tn
  assert.deepEqual(h.socket().sent, [{ type: 'hello', page: id, token: `T${id.slice(1)}`, ack: 0 }]);
  assert.equal(h.eventsOf('connect').length, 1, 'open after the handshake is no reconnect');
});

test('update frames are applied in order, each once, and acknowledged over the socket', async () => {
  const h = await socketPage();
  h.socket().receive({ type: 'updates', updates: [add(1), add(2)] });
  h.socket().receive({ type: 'updates', updates: [add(2), add(3)], upTo: 5 });
  assert.deepEqual(h.got, [1, 2, 3]);
  await advance(h, 1000);
  assert.deepEqual(h.socket().sentOf('ack'), [{ type: 'ack', ack: 5 }]);
  assert.equal(h.ackRequests().length, 0, 'no POST ack while the socket is open');
});

test('calls go over the open socket and are settled by the reply frame with their batch number', async () => {
  const h = await socketPage();
  h.socket().receive({ type: 'updates', updates: [add(1)] });
  const answer = h.Echo.echo('hi');
  await settle();
  const [frame] = h.socket().sentOf('call');
  assert.equal(frame.batch, 1);
  assert.equal(frame.ack, 1);
  assert.deepEqual(frame.calls, [{ id: frame.calls[0].id, proxy: 'Echo', method: 'echo', args: ['hi'] }]);
  h.socket().receive({ type: 'replies', batch: 1, replies: [{ id: frame.calls[0].id, result: 'hi!' }] });
  assert.equal(await answer, 'hi!');
  assert.equal(h.callRequests().length, 0);
});

test('a batch refused as a whole fails its calls with the refusal', async () => {
  const h = await socketPage();
  const answer = h.Echo.echo('hi');
  await settle();
  h.socket().receive({ type: 'replies', batch: 1, status: 400, error: { code: 'TOO_MANY_CALLS', message: 'too many' } });
  await assert.rejects(answer, (error) => error.code === 'TOO_MANY_CALLS');
});

test('calls made while the socket is not open go by POST: they certainly did not reach the server', async () => {
  const h = await socketPage({ open: false });
  assert.equal(await h.Echo.echo('hi'), 'hi');
  assert.equal(h.callRequests().length, 1);
});

test('a socket dropped with a batch unanswered fails it clearly, probes the page, then reopens with the cursor', async () => {
  const polls = [];
  const h = await socketPage({ onPoll: (request) => { polls.push(request.body); return jsonReply(200, { updates: [add(2)] }); } });
  h.socket().receive({ type: 'updates', updates: [add(1)] });
  const answer = h.Echo.echo('hi');
  await settle();
  h.socket().drop();
  await assert.rejects(answer, (error) => error.code === 'NETWORK' && /may have run/.test(error.message));
  assert.equal(h.callRequests().length, 0, 'a call that may have run is not sent again');
  assert.deepEqual(h.eventsOf('disconnect').map((d) => d.code), ['NETWORK']);
  await settle();
  assert.deepEqual(polls, [{ ack: 1 }], 'a plain poll probes the page and brings what was missed');
  assert.deepEqual(h.got, [1, 2]);
  await advance(h, 1000); // the first drop of a socket not yet proven waits the first backoff
  assert.equal(h.sockets.length, 2);
  h.socket().open(false);
  assert.equal(h.socket().sentOf('hello')[0].ack, 2);
});

test('a socket open a while reopens at once after a drop', async () => {
  const h = await socketPage();
  await advance(h, 5000);
  h.socket().drop(4001);
  await settle();
  assert.equal(h.sockets.length, 2);
});

test('a refused hello: PAGE_UNKNOWN makes a new handshake; MODE_NOT_ALLOWED falls back to passive', async () => {
  const h = await socketPage({ open: false });
  h.socket().open(false);
  h.socket().receive({ type: 'refused', status: 410, error: { code: 'PAGE_UNKNOWN', message: 'gone' } });
  await settle();
  assert.equal(h.handshakeRequests().length, 2);
  assert.equal(h.sockets.length, 2);
  h.socket().open(false);
  h.socket().receive({ type: 'refused', status: 403, error: { code: 'MODE_NOT_ALLOWED', message: 'no' } });
  assert.equal(h.pagewire.mode, 'passive');
  assert.deepEqual(h.eventsOf('mode').at(-1), { mode: 'passive', reason: 'refused' });
});

test('the page sends a heartbeat every heartbeatMillis; a socket silent past heartbeatMillis plus 10 s is dropped', async () => {
  const h = await socketPage({ delivery: { heartbeatMillis: 15000 } });
  await advance(h, 15000);
  assert.equal(h.socket().sentOf('hb').length, 1);
  h.socket().receive({ type: 'hb' });
  await advance(h, 24999);
  assert.equal(h.sockets.length, 1);
  await advance(h, 1);
  assert.equal(h.sockets[0].closeCode, 1000, 'the silent socket is closed');
  assert.deepEqual(h.eventsOf('disconnect').map((d) => d.code), ['NETWORK']);
});

test('switching mode closes the socket; calls then go by POST', async () => {
  const h = await socketPage();
  h.pagewire.reverseAjax('polling');
  assert.equal(h.sockets[0].closeCode, 1000);
  assert.equal(await h.Echo.echo('hi'), 'hi');
  assert.equal(h.callRequests().length, 1);
});

test('without WebSocket the page polls instead, with reason unsupported', async () => {
  const h = createHarness({ delivery: { mode: 'websocket' }, engine: { WebSocket: undefined } });
  h.pagewire.start();
  const saved = globalThis.WebSocket;
  globalThis.WebSocket = undefined;
  try {
    await h.pagewire.ready;
    await settle();
  } finally {
    globalThis.WebSocket = saved;
  }
  assert.equal(h.pagewire.mode, 'polling');
  assert.deepEqual(h.eventsOf('mode'), [{ mode: 'polling', reason: 'unsupported' }]);
  assert.deepEqual(h.eventsOf('error').map((e) => e.code), ['MODE_UNSUPPORTED']);
});
