'use strict';
// Test harness: an engine wired to a fake server (fetch), fake timers, a fake EventSource,
// document, window and sendBeacon. The fake server records every request; routes decide
// each reply. Nothing waits on real time.

const { createPagewire } = require('../src/engine.js');

/** A reply object with just what the engine reads from a fetch Response. */
function jsonReply(status, body) {
  return { status, ok: status >= 200 && status < 300, json: async () => body };
}

/** A reply whose body is not JSON (e.g. a proxy's HTML error page, or a 204). */
function textReply(status) {
  return { status, ok: status >= 200 && status < 300, json: async () => { throw new SyntaxError('Unexpected token <'); } };
}

/** A refusal with the protocol's JSON error body. */
function errorReply(status, code, message = code) {
  return jsonReply(status, { error: { code, message } });
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
      timers.set(handle, { at: now + ms, ms, fn });
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
    /** Delays (ms, as asked) of the timers still waiting. */
    delays() { return [...timers.values()].map((t) => t.ms); },
    get now() { return now; },
    get pending() { return timers.size; },
  };
}

/** Echoes each call's first argument back: the default /call route. */
function echoReplies(request) {
  return jsonReply(200, { replies: request.body.calls.map((c) => ({ id: c.id, result: c.args[0] })) });
}

const ALL_MODES = ['passive', 'polling', 'comet', 'sse', 'websocket'];
const DELIVERY = { mode: 'passive', allowed: ALL_MODES, pollMillis: 5000, holdMillis: 25000, ackDelayMillis: 1000, heartbeatMillis: 15000 };

let pageCounter = 0;

/** Answers a handshake with a fresh page each time; `delivery` overrides parts of DELIVERY. */
function handshakeReply(limits = { maxCallsPerBatch: 100 }, delivery = {}) {
  pageCounter++;
  return jsonReply(200, { page: `P${pageCounter}`, token: `T${pageCounter}`, limits, delivery: { ...DELIVERY, ...delivery } });
}

/** A minimal EventSource: the test opens, feeds and fails it by hand. */
class FakeEventSource {
  static instances = [];
  constructor(url, init) {
    this.url = url;
    this.init = init;
    this.closed = false;
    this.listeners = new Map();
    this.constructor.instances.push(this); // each harness has its own subclass
  }
  addEventListener(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(fn);
  }
  close() { this.closed = true; }
  dispatch(type, event = {}) {
    for (const fn of this.listeners.get(type) || []) fn({ type, ...event });
  }
  open() { this.dispatch('open'); }
  message(update) { this.dispatch('message', { data: JSON.stringify(update), lastEventId: String(update.seq) }); }
  fail() { this.dispatch('error'); }
}

/** A minimal WebSocket: records what the engine sends; the test opens, feeds and drops it by hand. */
class FakeWebSocket {
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closeCode = null;
    this.listeners = new Map();
    this.constructor.instances.push(this); // each harness has its own subclass
  }
  addEventListener(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(fn);
  }
  send(data) {
    if (this.readyState !== 1) throw new DOMException('not open', 'InvalidStateError');
    this.sent.push(JSON.parse(data));
  }
  close(code) { this.readyState = 3; this.closeCode = code; }
  dispatch(type, event = {}) {
    for (const fn of this.listeners.get(type) || []) fn({ type, ...event });
  }
  /** The connection opens; `accept` (default): the server answers the hello with `open`. */
  open(accept = true) {
    this.readyState = 1;
    this.dispatch('open');
    if (accept) this.receive({ type: 'open' });
  }
  receive(frame) { this.dispatch('message', { data: JSON.stringify(frame) }); }
  /** The connection is lost (a cut, or the server closed it with `code`). */
  drop(code = 1006) { this.readyState = 3; this.dispatch('close', { code }); }
  /** Frames of one type the engine sent. */
  sentOf(type) { return this.sent.filter((f) => f.type === type); }
}

/** An event target with just addEventListener, removeEventListener and dispatch. */
function createTarget(props = {}) {
  const listeners = new Map();
  return {
    ...props,
    addEventListener(type, fn) {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type).add(fn);
    },
    removeEventListener(type, fn) { if (listeners.has(type)) listeners.get(type).delete(fn); },
    dispatch(type, event = {}) { for (const fn of [...(listeners.get(type) || [])]) fn({ type, ...event }); },
    listenerCount(type) { return listeners.has(type) ? listeners.get(type).size : 0; },
  };
}

/**
 * Creates an engine against a fake server.
 * @param {object} [options]
 * @param {(request) => any} [options.onHandshake]  reply for POST /handshake
 * @param {(request) => any} [options.onCall]  reply for POST /call
 * @param {(request) => any} [options.onPoll]  reply for POST /poll; default: held polls wait, others get no updates
 * @param {(request) => any} [options.onAck]  reply for POST /ack; default 204
 * @param {object} [options.delivery]  overrides of the default handshake's delivery advice
 * @param {object} [options.engine]  createPagewire options that replace the harness's
 */
function createHarness(options = {}) {
  const requests = [];
  const timers = createFakeTimers();
  const onHandshake = options.onHandshake || (() => handshakeReply(undefined, options.delivery));
  const onCall = options.onCall || echoReplies;
  // Like the server: a held poll waits (here until aborted), a plain poll is answered at once.
  const onPoll = options.onPoll || ((request) => (request.body.hold ? new Promise(() => {}) : jsonReply(200, { updates: [] })));
  const onAck = options.onAck || (() => textReply(204));
  const routes = { handshake: onHandshake, call: onCall, poll: onPoll, ack: onAck };

  async function fetch(url, init) {
    const request = { url, init, headers: init.headers, body: JSON.parse(init.body) };
    requests.push(request);
    const route = routes[url.slice(url.lastIndexOf('/') + 1)];
    const reply = route
      ? Promise.resolve().then(() => route(request))
      : Promise.resolve(jsonReply(404, { error: { code: 'NOT_FOUND', message: 'no such resource' } }));
    if (!init.signal) return reply;
    // Like fetch: an abort rejects the request even when its reply is held back.
    return new Promise((resolve, reject) => {
      const abort = () => reject(new DOMException('The operation was aborted.', 'AbortError'));
      if (init.signal.aborted) abort();
      init.signal.addEventListener('abort', abort);
      reply.then(resolve, reject);
    });
  }

  class EventSource extends FakeEventSource {}
  EventSource.instances = [];
  class WebSocket extends FakeWebSocket {}
  WebSocket.instances = [];
  const document = createTarget({ visibilityState: 'visible' });
  const window = createTarget();
  const beacons = [];

  const pagewire = createPagewire({
    base: '/ctx/pagewire',
    path: '/echo/',
    fetch,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    queueMicrotask: (fn) => queueMicrotask(fn),
    random: () => 0.5, // no jitter unless a test asks for it
    now: () => timers.now, // the page's clock is the fake timers' clock
    EventSource,
    WebSocket,
    document,
    window,
    sendBeacon: (url, body) => { beacons.push({ url, body }); return true; },
    ...options.engine,
  });
  const events = [];
  for (const event of ['error', 'connect', 'disconnect', 'resync', 'mode']) {
    pagewire.on(event, (detail) => events.push({ event, detail }));
  }
  const byPath = (path) => () => requests.filter((r) => r.url.endsWith(path));
  return {
    pagewire,
    timers,
    requests,
    events,
    document,
    window,
    beacons,
    /** Every EventSource the engine made, oldest first. */
    streams: EventSource.instances,
    /** Every WebSocket the engine made, oldest first. */
    sockets: WebSocket.instances,
    /** Events of one kind, as their details. */
    eventsOf: (name) => events.filter((e) => e.event === name).map((e) => e.detail),
    callRequests: byPath('/call'),
    handshakeRequests: byPath('/handshake'),
    pollRequests: byPath('/poll'),
    ackRequests: byPath('/ack'),
  };
}

/** Lets every pending promise chain run (fake replies resolve within microtasks). */
function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

module.exports = {
  createHarness, jsonReply, textReply, errorReply, deferred, settle, handshakeReply, echoReplies, ALL_MODES,
};
