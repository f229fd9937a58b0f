'use strict';
// Test harness: an engine wired to a fake server (fetch), fake timers and a plain
// microtask queue. The fake server records every request; routes decide each reply.

const { createPagewire } = require('../src/engine.js');

/** A reply object with just what the engine reads from a fetch Response. */
function jsonReply(status, body) {
  return { status, ok: status >= 200 && status < 300, json: async () => body };
}

/** A reply whose body is not JSON (e.g. a proxy's HTML error page). */
function textReply(status) {
  return { status, ok: status >= 200 && status < 300, json: async () => { throw new SyntaxError('Unexpected token <'); } };
}

/** A promise plus its settle functions, to hold a reply back until the test releases it. */
function deferred() {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/** Timers that only advance when the test says so. */
function createFakeTimers() {
  let now = 0;
  let nextHandle = 1;
  const timers = new Map();
  return {
    setTimeout(fn, ms) {
      const handle = nextHandle++;
      timers.set(handle, { at: now + ms, fn });
      return handle;
    },
    clearTimeout(handle) {
      timers.delete(handle);
    },
    advance(ms) {
      now += ms;
      const due = [...timers].filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at);
      for (const [handle, timer] of due) {
        timers.delete(handle);
        timer.fn();
      }
    },
    get pending() { return timers.size; },
  };
}

/** Echoes each call's first argument back: the default /call route. */
function echoReplies(request) {
  return jsonReply(200, { replies: request.body.calls.map((c) => ({ id: c.id, result: c.args[0] })) });
}

let sessionCounter = 0;

/** Answers a handshake with a fresh session each time. */
function handshakeReply(limits = { maxCallsPerBatch: 100 }) {
  sessionCounter++;
  return jsonReply(200, { session: `S${sessionCounter}`, token: `T${sessionCounter}`, limits });
}

/**
 * Creates an engine against a fake server.
 * @param {object} [options]
 * @param {(request) => any} [options.onSession]  reply for POST /session
 * @param {(request) => any} [options.onCall]  reply for POST /call
 */
function createHarness(options = {}) {
  const requests = [];
  const timers = createFakeTimers();
  const onSession = options.onSession || (() => handshakeReply());
  const onCall = options.onCall || echoReplies;

  async function fetch(url, init) {
    const request = { url, init, headers: init.headers, body: JSON.parse(init.body) };
    requests.push(request);
    if (url.endsWith('/session')) return onSession(request);
    if (url.endsWith('/call')) return onCall(request);
    return jsonReply(404, { error: { code: 'NOT_FOUND', message: 'no such resource' } });
  }

  const pagewire = createPagewire({
    base: '/ctx/pagewire',
    page: '/echo/',
    fetch,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    queueMicrotask: (fn) => queueMicrotask(fn),
    ...options.engine,
  });
  const events = [];
  for (const event of ['error', 'connect', 'disconnect', 'resync']) {
    pagewire.on(event, (detail) => events.push({ event, detail }));
  }
  return {
    pagewire,
    timers,
    requests,
    events,
    callRequests: () => requests.filter((r) => r.url.endsWith('/call')),
    sessionRequests: () => requests.filter((r) => r.url.endsWith('/session')),
  };
}

/** Lets every pending promise chain run (fake replies resolve within microtasks). */
function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

module.exports = { createHarness, jsonReply, textReply, deferred, settle, handshakeReply, echoReplies };
