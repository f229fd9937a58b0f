/**
 * Pagewire engine: the browser side of Pagewire.
 *
 * Pages call Java through generated proxies (`await Echo.echo("hi")`). This engine turns
 * those calls into batched `POST {base}/call` requests, matches the replies by id and settles
 * each call's promise, DWR-style callbacks and handlers included. The wire format is
 * docs/PROTOCOL.md; keep the two in step.
 *
 * Threading model: everything runs on the page's one JS thread. Calls made in one task are
 * queued and sent together from a microtask; the chunks of one batch are sent one after
 * another so the server runs them in call order; replies settle calls in call order.
 *
 * The file is a classic script body: the server wraps it in a function, creates
 * `globalThis.pagewire` and starts it. Nothing runs at load except defining createPagewire,
 * so Node tests can require it and inject fakes for fetch and the timers.
 */

/**
 * Creates an engine. The server's wrapper makes the page's one engine (`globalThis.pagewire`);
 * tests make their own with fakes injected.
 *
 * @param {PagewireOptions} options
 */
function createPagewire(options) {
  'use strict';

  // ---- Config ----

  const DEFAULTS = Object.freeze({
    /** Calls per request until the handshake tells the server's `limits.maxCallsPerBatch`. */
    maxCallsPerBatch: 100,
    /** Per-call timeout in ms; 0 means a call waits as long as the server takes. */
    timeout: 0,
  });
  /** Keys that make a trailing plain object an options object when the arity is ambiguous. */
  const OPTION_KEYS = ['callback', 'errorHandler', 'exceptionHandler', 'timeout'];
  /** Codes meaning the server method itself failed: these go to an exceptionHandler. */
  const SERVER_FAILURES = ['EXCEPTION', 'INTERNAL'];

  const config = readConfig(options);

  // ---- State ----

  /** @type {Session | null} */ let session = null;
  /** @type {Promise<Session> | null} */ let handshake = null; // in flight; shared by all who wait
  let started = false;
  let nextCallId = 1;
  /** @type {number} */ let callTimeout = DEFAULTS.timeout;
  /** @type {ErrorHandler | null} */ let globalErrorHandler = null;
  /** @type {PendingCall[]} */ let queuedCalls = []; // made in this task, sent from a microtask
  let flushScheduled = false;
  /** @type {BatchGroup | null} */ let currentBatch = null; // set while batch(fn) runs fn
  /** @type {Map<string, Set<(detail: any) => void>>} */ const listeners = new Map();
  /** @type {Map<string, any>} */ const exposed = new Map();
  /** Errors a handler took: the promises they reject must not count as unhandled. */
  const handledErrors = new WeakSet();
  /** @type {(sessionId: string) => void} */ let resolveReady = ignore;
  /** @type {Promise<string>} */ const ready = new Promise((resolve) => { resolveReady = resolve; });

  // ---- Public API ----

  const pagewire = Object.freeze({
    start,
    /** Resolves with the session id when the first handshake succeeded; never rejects. */
    ready,
    /** The current script session id, or null before the handshake or after losing it. */
    get sessionId() { return session ? session.id : null; },
    proxy: createProxy,
    batch,
    setTimeout: setCallTimeout,
    setErrorHandler,
    on,
    off,
    expose,
    /** Internal: applies one pushed function call. The push protocol will drive it. */
    _dispatchUpdate: dispatchUpdate,
  });
  return pagewire;

  /**
   * Begins the handshake (`POST {base}/session`). Idempotent. Calls made meanwhile wait for it
   * (a call also starts it if needed); a failure fires `error`, and the next call tries again.
   * @returns {Promise<string>} `ready`
   */
  function start() {
    if (!started) {
      started = true;
      ensureSession().catch((error) => emit('error', error));
    }
    return ready;
  }

  /**
   * Returns a frozen object with one function per method. Each function takes the method's
   * arguments, optionally followed by a callback or a CallOptions object, and returns a
   * Promise of the result.
   * @param {string} name  the exposed proxy name, e.g. "Echo"
   * @param {Record<string, number[]>} methods  parameter counts the page sends, e.g. {add: [2, 3]}
   * @returns {Readonly<Record<string, (...args: any[]) => Promise<any>>>}
   */
  function createProxy(name, methods) {
    requireThat(typeof name === 'string' && name !== '', 'pagewire.proxy: name must be a non-empty string');
    /** @type {Record<string, (...args: any[]) => Promise<any>>} */
    const stubs = {};
    for (const [method, arities] of Object.entries(methods || {})) {
      requireThat(Array.isArray(arities) && arities.every(Number.isInteger),
        `pagewire.proxy: arities of ${name}.${method} must be an array of integers`);
      // defineProperty, not assignment: a method may be called `__proto__`.
      const stub = (/** @type {any[]} */ ...args) => invoke(name, method, arities, args);
      Object.defineProperty(stubs, method, { value: stub, enumerable: true });
    }
    return Object.freeze(stubs);
  }

  /**
   * Runs `fn` at once; every proxy call it makes synchronously goes out in one request.
   * Whatever `fn` throws propagates; the calls it made are still sent.
   * @param {() => void} fn
   * @param {BatchOptions} [options]  timeout and errorHandler for calls that set none
   * @returns {Promise<any[]>} the results in call order (Promise.all semantics)
   */
  function batch(fn, options) {
    requireThat(typeof fn === 'function', 'pagewire.batch: fn must be a function');
    /** @type {BatchGroup} */
    const group = {
      parent: currentBatch,
      calls: [],
      timeout: readTimeout(options && options.timeout),
      errorHandler: readFunction(options && options.errorHandler),
    };
    currentBatch = group;
    try {
      fn();
    } finally {
      currentBatch = group.parent;
      // A nested batch's calls are also in the outer group, which sends them.
      if (!group.parent) void sendCalls(group.calls);
    }
    return combineResults(group.calls);
  }

  /**
   * Sets the timeout for every call that sets none of its own.
   * @param {number} ms  0 = none (the default)
   */
  function setCallTimeout(ms) {
    requireThat(readTimeout(ms) !== undefined, 'pagewire.setTimeout: ms must be a number >= 0');
    callTimeout = ms;
  }

  /**
   * Sets the handler for failed calls that have no handler of their own that applies.
   * @param {ErrorHandler | null} fn  null removes it
   */
  function setErrorHandler(fn) {
    requireThat(fn === null || typeof fn === 'function', 'pagewire.setErrorHandler: fn must be a function or null');
    globalErrorHandler = fn;
  }

  /**
   * Adds a listener. Events: `error` (the Error, for every failed call and other failures),
   * `connect` ({session}, after each handshake), `disconnect` ({session, code}, when the
   * server no longer knows the session), `resync` ({session}, after a new session replaced a
   * lost one: the server's state for this page is gone, reload what depends on it).
   * @param {string} event
   * @param {(detail: any) => void} fn
   */
  function on(event, fn) {
    requireThat(typeof fn === 'function', 'pagewire.on: fn must be a function');
    let set = listeners.get(event);
    if (!set) listeners.set(event, set = new Set());
    set.add(fn);
  }

  /**
   * Removes a listener added with `on`.
   * @param {string} event
   * @param {(detail: any) => void} fn
   */
  function off(event, fn) {
    const set = listeners.get(event);
    if (set) set.delete(fn);
  }

  /**
   * Registers functions the server may call on this page, as `"name.method"`.
   * @param {string} name  an identifier, e.g. "chatUi"
   * @param {object} object  its methods are callable; those of Object.prototype never are
   */
  function expose(name, object) {
    requireThat(typeof name === 'string' && /^[A-Za-z_$][\w$]*$/.test(name), 'pagewire.expose: name must be an identifier');
    requireThat(object !== null && (typeof object === 'object' || typeof object === 'function'),
      'pagewire.expose: object must be an object');
    exposed.set(name, object);
  }

  // ---- Configuration ----

  /** @param {PagewireOptions} options @returns {Required<PagewireOptions>} */
  function readConfig(options) {
    requireThat(options && typeof options.base === 'string', 'createPagewire: options.base (the mount URL) is required');
    // Defaults look the globals up at each use, so tests and polyfills may replace them later.
    return {
      base: options.base.replace(/\/+$/, ''),
      page: options.page ?? (globalThis.location ? globalThis.location.pathname : '/'),
      fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
      setTimeout: options.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms)),
      clearTimeout: options.clearTimeout ?? ((handle) => globalThis.clearTimeout(handle)),
      queueMicrotask: options.queueMicrotask ?? ((fn) => globalThis.queueMicrotask(fn)),
    };
  }

  // ---- Handshake ----

  /** @returns {Promise<Session>} the current session, after a handshake if there is none */
  function ensureSession() {
    if (session) return Promise.resolve(session);
    if (!handshake) handshake = performHandshake().finally(() => { handshake = null; });
    return handshake;
  }

  /** @returns {Promise<Session>} */
  async function performHandshake() {
    const reply = await postJson('/session', JSON.stringify({ page: config.page }), {});
    const body = reply.payload;
    if (!reply.ok || !body || typeof body.session !== 'string' || typeof body.token !== 'string') {
      throw createError(describeRefusal(reply));
    }
    session = { id: body.session, token: body.token, maxCallsPerBatch: readBatchLimit(body.limits) };
    resolveReady(session.id);
    emit('connect', { session: session.id });
    return session;
  }

  /**
   * Replaces a session the server no longer knows. Several batches may find out at once:
   * only the first drops it and handshakes; the others wait for the same new session.
   * @param {Session} stale @returns {Promise<Session>}
   */
  async function renewSession(stale) {
    if (session !== stale) return ensureSession();
    session = null;
    emit('disconnect', { session: stale.id, code: 'SESSION_UNKNOWN' });
    const fresh = await ensureSession();
    emit('resync', { session: fresh.id });
    return fresh;
  }

  /** @param {any} limits */
  function readBatchLimit(limits) {
    const max = limits && limits.maxCallsPerBatch;
    return Number.isInteger(max) && max > 0 ? max : DEFAULTS.maxCallsPerBatch;
  }

  // ---- Making calls ----

  /** @param {string} proxyName @param {string} method @param {number[]} arities @param {any[]} args as passed */
  function invoke(proxyName, method, arities, args) {
    const { params, options } = splitArguments(args, arities);
    const call = createCall(proxyName, method, options);
    const fault = checkArity(call, arities, params.length) || encodeCall(call, params);
    if (fault) failCall(call, createError(fault, call));
    else enqueueCall(call);
    return call.promise;
  }

  /**
   * Takes a trailing callback or options object off the arguments, DWR style.
   * @param {any[]} args @param {number[]} arities @returns {{params: any[], options: CallOptions}}
   */
  function splitArguments(args, arities) {
    const last = args[args.length - 1];
    if (typeof last === 'function') return { params: args.slice(0, -1), options: { callback: last } };
    if (isOptionsObject(last, args.length, arities)) return { params: args.slice(0, -1), options: readCallOptions(last) };
    return { params: args, options: {} };
  }

  /**
   * A trailing plain object is options if dropping it leaves a valid count, unless it could
   * also be the last argument and holds keys that are not option names.
   * @param {unknown} value @param {number} count @param {number[]} arities
   */
  function isOptionsObject(value, count, arities) {
    if (!isPlainObject(value) || !arities.includes(count - 1)) return false;
    return !arities.includes(count) || Object.keys(/** @type {object} */ (value)).every((key) => OPTION_KEYS.includes(key));
  }

  /** @param {any} raw @returns {CallOptions} */
  function readCallOptions(raw) {
    return {
      callback: readFunction(raw.callback),
      errorHandler: readFunction(raw.errorHandler),
      exceptionHandler: readFunction(raw.exceptionHandler),
      timeout: readTimeout(raw.timeout),
    };
  }

  /** @param {string} proxy @param {string} method @param {CallOptions} options @returns {PendingCall} */
  function createCall(proxy, method, options) {
    /** @type {(value: any) => void} */
    let resolve = ignore;
    /** @type {(error: PagewireError) => void} */
    let reject = ignore;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    const call = { id: nextCallId++, proxy, method, options, wire: '', promise, resolve, reject, timer: null, settled: false };
    for (let group = currentBatch; group; group = group.parent) {
      group.calls.push(call);
      // The innermost batch that sets a default wins.
      if (options.timeout === undefined) options.timeout = group.timeout;
      if (!options.errorHandler) options.errorHandler = group.errorHandler;
    }
    return call;
  }

  /** @param {PendingCall} call @param {number[]} arities @param {number} count @returns {Fault | null} */
  function checkArity(call, arities, count) {
    if (arities.includes(count)) return null;
    const counts = arities.join(' or ');
    const noun = arities.length === 1 && arities[0] === 1 ? 'argument' : 'arguments';
    return { code: 'NOT_FOUND', message: `${call.proxy}.${call.method} takes ${counts} ${noun}, not ${count}` };
  }

  /**
   * Encodes the call now: changing an argument after the call must not change what is sent,
   * and an argument JSON cannot carry fails only its own call.
   * @param {PendingCall} call @param {any[]} params @returns {Fault | null}
   */
  function encodeCall(call, params) {
    try {
      // JSON writes undefined array items as null, which is what the server expects.
      call.wire = JSON.stringify({ id: call.id, proxy: call.proxy, method: call.method, args: params });
      return null;
    } catch (error) {
      const message = `${call.proxy}.${call.method}: arguments cannot be sent as JSON (${messageOf(error)})`;
      return { code: 'BAD_ARGUMENTS', message };
    }
  }

  /** @param {PendingCall} call */
  function enqueueCall(call) {
    startTimer(call);
    if (currentBatch) return; // batch() sends its group when fn returns
    queuedCalls.push(call);
    if (!flushScheduled) {
      flushScheduled = true;
      config.queueMicrotask(flushQueue);
    }
  }

  function flushQueue() {
    flushScheduled = false;
    const calls = queuedCalls;
    queuedCalls = [];
    void sendCalls(calls);
  }

  // ---- Batching ----

  /**
   * Sends calls in order, split into chunks the server accepts. Never rejects: every
   * failure settles the calls it concerns.
   * @param {PendingCall[]} calls
   */
  async function sendCalls(calls) {
    if (!calls.some(isPending)) return;
    let current;
    try {
      current = await ensureSession();
    } catch (error) {
      failCalls(calls, faultOf(error), error);
      return;
    }
    const limit = current.maxCallsPerBatch;
    let waiting = calls.filter(isPending);
    while (waiting.length) {
      await sendChunk(waiting.slice(0, limit));
      // Calls that timed out while that chunk ran are not worth sending.
      waiting = waiting.slice(limit).filter(isPending);
    }
  }

  /** @param {PendingCall[]} calls */
  async function sendChunk(calls) {
    try {
      let used = await ensureSession();
      let outcome = await postCalls(calls, used);
      if (outcome.fault && outcome.fault.code === 'SESSION_UNKNOWN') {
        // The server ran none of these calls, so sending them again is safe. Once only.
        used = await renewSession(used);
        const again = calls.filter(isPending);
        if (again.length) outcome = await postCalls(again, used);
      }
      settleCalls(calls, outcome);
    } catch (error) {
      failCalls(calls, faultOf(error), error);
    }
  }

  /** @param {PendingCall[]} calls @param {Session} current @returns {Promise<Outcome>} */
  async function postCalls(calls, current) {
    const body = `{"calls":[${calls.map((call) => call.wire).join(',')}]}`;
    const headers = { 'Pagewire-Session': current.id, 'Pagewire-Token': current.token };
    let reply;
    try {
      reply = await postJson('/call', body, headers);
    } catch (error) {
      return { fault: faultOf(error), cause: error };
    }
    if (reply.ok && reply.payload && Array.isArray(reply.payload.replies)) return { replies: reply.payload.replies };
    return { fault: describeRefusal(reply) };
  }

  /**
   * POSTs a JSON body to `{base}{path}`. Throws (a NETWORK error) only when no reply came.
   * @param {string} path @param {string} body @param {Record<string, string>} headers
   * @returns {Promise<{status: number, ok: boolean, payload: any}>} payload undefined if not JSON
   */
  async function postJson(path, body, headers) {
    let response;
    try {
      response = await config.fetch(config.base + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body,
        credentials: 'same-origin',
      });
    } catch (cause) {
      throw createError({ code: 'NETWORK', message: `Network error on ${path}: ${messageOf(cause)}` }, null, cause);
    }
    let payload;
    try {
      payload = await response.json();
    } catch {
      payload = undefined;
    }
    return { status: response.status, ok: response.ok, payload };
  }

  /** @param {PendingCall[]} calls @param {Outcome} outcome */
  function settleCalls(calls, outcome) {
    if (outcome.fault || !outcome.replies) {
      failCalls(calls, outcome.fault || { code: 'NETWORK', message: 'No reply' }, outcome.cause);
      return;
    }
    const byId = new Map(outcome.replies.map((reply) => [reply && reply.id, reply]));
    for (const call of calls) {
      const reply = byId.get(call.id);
      if (!reply) failCall(call, createError({ code: 'NETWORK', message: 'The server sent no reply for this call' }, call));
      else if (reply.error) failCall(call, createError(readFault(reply.error), call));
      else completeCall(call, reply.result ?? null);
    }
  }

  /**
   * Batch results with Promise.all semantics; the combined rejection counts as handled when
   * the error that caused it was.
   * @param {PendingCall[]} calls @returns {Promise<any[]>}
   */
  function combineResults(calls) {
    /** @type {Promise<any[]>} */
    const combined = new Promise((resolve, reject) => {
      Promise.all(calls.map((call) => call.promise)).then(resolve, (error) => {
        reject(error);
        if (handledErrors.has(error)) combined.catch(ignore);
      });
    });
    return combined;
  }

  // ---- Settling calls ----

  /** @param {PendingCall} call */
  function startTimer(call) {
    const ms = call.options.timeout ?? callTimeout;
    if (ms <= 0) return;
    call.timer = config.setTimeout(() => {
      const fault = { code: 'TIMEOUT', message: `${call.proxy}.${call.method} timed out after ${ms} ms` };
      failCall(call, createError(fault, call));
    }, ms);
  }

  /** Marks the call settled; false if it already was, so a late reply or timer does nothing. */
  function beginSettling(/** @type {PendingCall} */ call) {
    if (call.settled) return false;
    call.settled = true;
    if (call.timer !== null) config.clearTimeout(call.timer);
    return true;
  }

  /** @param {PendingCall} call @param {any} result */
  function completeCall(call, result) {
    if (!beginSettling(call)) return;
    call.resolve(result);
    if (call.options.callback) invokeSafely(call.options.callback, result);
  }

  /** @param {PendingCall} call @param {PagewireError} error */
  function failCall(call, error) {
    if (!beginSettling(call)) return;
    const handler = chooseHandler(call.options, error.code);
    if (handler) {
      // The handler took it; `await` users still see it, but the browser must not log it.
      handledErrors.add(error);
      call.promise.catch(ignore);
    }
    call.reject(error);
    if (handler) invokeSafely(handler, error.message, error);
    emit('error', error);
  }

  /** @param {PendingCall[]} calls @param {Fault} fault @param {unknown} [cause] */
  function failCalls(calls, fault, cause) {
    for (const call of calls) failCall(call, createError(fault, call, cause));
  }

  /**
   * DWR routing: exceptionHandler takes failures of the server method, errorHandler the rest
   * (and those too when there is no exceptionHandler), else the global handler.
   * @param {CallOptions} options @param {string} code @returns {ErrorHandler | null}
   */
  function chooseHandler(options, code) {
    if (options.exceptionHandler && SERVER_FAILURES.includes(code)) return options.exceptionHandler;
    return options.errorHandler || globalErrorHandler;
  }

  // ---- Errors ----

  /** @param {Fault} fault @param {PendingCall | null} [call] @param {unknown} [cause] @returns {PagewireError} */
  function createError(fault, call, cause) {
    const message = fault.code === 'INTERNAL'
      ? (fault.incident ? `Server error (incident ${fault.incident})` : 'Server error')
      : fault.message;
    const error = /** @type {PagewireError} */ (cause === undefined ? new Error(message) : new Error(message, { cause }));
    error.name = fault.code === 'EXCEPTION' && fault.name ? fault.name
      : fault.code === 'TIMEOUT' ? 'TimeoutError' : 'PagewireError';
    error.code = fault.code;
    if (fault.incident) error.incident = fault.incident;
    if (call) {
      error.proxy = call.proxy;
      error.method = call.method;
    }
    return error;
  }

  /**
   * What a refused or unreadable reply means, as a fault for each call it concerns.
   * @param {{status: number, payload: any}} reply @returns {Fault}
   */
  function describeRefusal(reply) {
    const error = reply.payload && reply.payload.error;
    if (error && typeof error.code === 'string') return readFault(error);
    const what = reply.payload === undefined ? 'a body that is not JSON' : 'an unexpected body';
    return { code: 'NETWORK', message: `The server replied with HTTP ${reply.status} and ${what}` };
  }

  /** @param {any} raw  an `error` object from the server @returns {Fault} */
  function readFault(raw) {
    const code = typeof raw.code === 'string' ? raw.code : 'INTERNAL';
    return {
      code,
      message: typeof raw.message === 'string' ? raw.message : code,
      name: typeof raw.name === 'string' ? raw.name : undefined,
      incident: typeof raw.incident === 'string' ? raw.incident : undefined,
    };
  }

  /** Recovers the fault from an error we made (e.g. a failed handshake) or a stray one. */
  function faultOf(/** @type {any} */ error) {
    if (error && typeof error.code === 'string') {
      return { code: error.code, message: error.message, name: error.name, incident: error.incident };
    }
    return { code: 'NETWORK', message: messageOf(error) };
  }

  // ---- Events and exposed functions ----

  /** @param {string} event @param {any} detail */
  function emit(event, detail) {
    const set = listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) invokeSafely(fn, detail);
  }

  /**
   * Calls an exposed function, e.g. `{fn: "chatUi.addMessage", args: [message]}`.
   * @param {{fn: string, args?: any[]}} update
   * @returns {boolean} whether the function existed and ran without throwing
   */
  function dispatchUpdate(update) {
    const name = String(update && update.fn);
    const dot = name.indexOf('.');
    const target = dot > 0 ? exposed.get(name.slice(0, dot)) : undefined;
    const method = name.slice(dot + 1);
    // Only the page's own functions: never what every object inherits (constructor, toString...).
    const fn = target && !(method in Object.prototype) ? target[method] : undefined;
    if (typeof fn !== 'function') {
      emit('error', createError({ code: 'NOT_FOUND', message: `No exposed function ${name}` }));
      return false;
    }
    try {
      fn.apply(target, Array.isArray(update.args) ? update.args : []);
      return true;
    } catch (error) {
      emit('error', error);
      return false;
    }
  }

  // ---- Small helpers ----

  /** Runs page code so that its exceptions are reported but never break the engine. */
  function invokeSafely(/** @type {Function} */ fn, /** @type {any[]} */ ...args) {
    try {
      fn(...args);
    } catch (error) {
      if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
      else console.error(error);
    }
  }

  /** @param {PendingCall} call */
  function isPending(call) {
    return !call.settled;
  }

  /** An object literal or Object.create(null); also from another frame, whose Object differs. */
  function isPlainObject(/** @type {unknown} */ value) {
    if (Object.prototype.toString.call(value) !== '[object Object]') return false;
    const proto = Object.getPrototypeOf(value);
    return proto === null || Object.getPrototypeOf(proto) === null;
  }

  /** @param {unknown} value @returns {any} */
  function readFunction(value) {
    return typeof value === 'function' ? value : undefined;
  }

  /** @param {unknown} value @returns {number | undefined} a usable timeout, else undefined */
  function readTimeout(value) {
    return typeof value === 'number' && value >= 0 && value !== Infinity ? value : undefined;
  }

  /** @param {unknown} error */
  function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
  }

  /** @param {unknown} condition @param {string} message @returns {asserts condition} */
  function requireThat(condition, message) {
    if (!condition) throw new TypeError(message);
  }

  function ignore() {}
}

// ---- Types (JSDoc, checked by tsc --checkJs) ----

/**
 * @typedef {object} PagewireOptions
 * @property {string} base  mount URL without trailing slash, e.g. "/pagewire"
 * @property {string} [page]  page path for the handshake; default `location.pathname`
 * @property {(url: string, init: RequestInit) => Promise<Response>} [fetch]  default `globalThis.fetch`
 * @property {(fn: () => void, ms: number) => unknown} [setTimeout]  injectable so tests control time
 * @property {(handle: any) => void} [clearTimeout]
 * @property {(fn: () => void) => void} [queueMicrotask]
 */

/**
 * A failed call. `name` is `PagewireError`, `TimeoutError`, or for code `EXCEPTION` the
 * server's exception name.
 * @typedef {Error & {code: string, incident?: string, proxy?: string, method?: string}} PagewireError
 */

/** @typedef {(message: string, error: PagewireError) => void} ErrorHandler */

/**
 * Per-call options, given as a trailing plain object (or a trailing function as callback).
 * @typedef {object} CallOptions
 * @property {(result: any) => void} [callback]  called with the result on success
 * @property {ErrorHandler} [errorHandler]  any failure (exceptions too, unless exceptionHandler is set)
 * @property {ErrorHandler} [exceptionHandler]  failures of the server method (EXCEPTION, INTERNAL)
 * @property {number} [timeout]  ms; overrides pagewire.setTimeout; 0 = none
 */

/** @typedef {{timeout?: number, errorHandler?: ErrorHandler}} BatchOptions */

/** @typedef {{code: string, message: string, name?: string, incident?: string}} Fault */

/**
 * What came back for a chunk: the replies, or a fault for all its calls.
 * @typedef {{replies?: any[], fault?: Fault, cause?: unknown}} Outcome
 */

/**
 * @typedef {object} PendingCall
 * @property {number} id
 * @property {string} proxy
 * @property {string} method
 * @property {CallOptions} options
 * @property {string} wire  the call as JSON, made when the call was made
 * @property {Promise<any>} promise
 * @property {(value: any) => void} resolve
 * @property {(error: PagewireError) => void} reject
 * @property {unknown} timer
 * @property {boolean} settled
 */

/** @typedef {{id: string, token: string, maxCallsPerBatch: number}} Session */

/** @typedef {{parent: BatchGroup | null, calls: PendingCall[], timeout?: number, errorHandler?: ErrorHandler}} BatchGroup */

if (typeof module === 'object' && module.exports) module.exports = { createPagewire };
