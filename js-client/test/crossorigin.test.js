'use strict';
// A page of another origin: the engine script came from the server's origin, so it calls there,
// with credentials (the server lists the page's origin in allowOrigins).
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply } = require('../test-support/harness.js');

/** Runs `body` with `location` as the page's location (node has none), then removes it. */
async function at(location, body) {
  globalThis.location = location;
  try {
    await body();
  } finally {
    delete globalThis.location;
  }
}

const API = 'http://api.example.test:8081';

test('a script from another origin calls that origin, with credentials, and its stream carries them', async () => {
  await at({ origin: 'http://app.example.test', pathname: '/shop/', href: 'http://app.example.test/shop/' }, async () => {
    const h = createHarness({
      delivery: { mode: 'sse' },
      engine: { script: `${API}/ctx/pagewire/engine.js` },
      onHandshake: () => jsonReply(200, { page: 'P1', token: 'T1', delivery: { mode: 'sse', allowed: ['sse'] } }),
    });
    await h.pagewire.start();
    const [handshake] = h.handshakeRequests();
    assert.equal(handshake.url, `${API}/ctx/pagewire/handshake`);
    assert.equal(handshake.init.credentials, 'include');
    assert.equal(h.streams.length, 1);
    assert.equal(h.streams[0].url, `${API}/ctx/pagewire/stream?page=P1&token=T1&ack=0`);
    assert.deepEqual(h.streams[0].init, { withCredentials: true });
  });
});

test('a script from the page\'s own origin keeps a path and same-origin credentials', async () => {
  await at({ origin: 'http://app.example.test', pathname: '/shop/', href: 'http://app.example.test/shop/' }, async () => {
    const h = createHarness({
      delivery: { mode: 'sse' },
      engine: { script: 'http://app.example.test/ctx/pagewire/engine.js' },
      onHandshake: () => jsonReply(200, { page: 'P1', token: 'T1', delivery: { mode: 'sse', allowed: ['sse'] } }),
    });
    await h.pagewire.start();
    const [handshake] = h.handshakeRequests();
    assert.equal(handshake.url, '/ctx/pagewire/handshake');
    assert.equal(handshake.init.credentials, 'same-origin');
    assert.equal(h.streams[0].init, undefined);
  });
});

test('without a script URL (options written by hand) the base is used as given', async () => {
  const h = createHarness();
  await h.pagewire.start();
  assert.equal(h.handshakeRequests()[0].url, '/ctx/pagewire/handshake');
  assert.equal(h.handshakeRequests()[0].init.credentials, 'same-origin');
});
