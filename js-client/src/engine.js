/**
 * Pagewire engine: the browser side of Pagewire.
 *
 * Pages call Java through generated proxies (`await Echo.echo("hi")`). This engine turns
 * those calls into batched `POST {base}/call` requests, matches the replies by id and settles
 * each call's promise, DWR-style callbacks and handlers included. The server pushes updates
 * (calls of functions the page exposed) that the engine applies exactly once, in order, and
 * acknowledges on every request. They arrive by the page's delivery mode: on call replies
 * (passive), by polling, by Comet long-polls, or over Server-Sent Events; each active mode is
 * one transport implementing the `Transport` contract (start, stop, send, onReceive, onClose),
 * given what it may use of the engine as one `TransportHost` (section Transports, outside
 * createPagewire). In websocket mode the tabs of an origin share one socket, held by a leader tab
 * (section Tab sharing). The wire format is docs/PROTOCOL.md; keep the two in step.
 *
 * Threading model: everything runs on the page's one JS thread. Calls made in one task are
 * queued and sent together from a microtask; the chunks of one batch are sent one after
 * another so the server runs them in call order; replies settle calls in call order. At most
 * one transport runs; a stopped one ignores whatever its requests bring back later.
 *
 * The file is a classic script body: the server wraps it in a function, creates
 * `globalThis.pagewire` and starts it. Nothing runs at load except defining createPagewire,
 * so Node tests can require it and inject fakes for fetch, the timers and the browser APIs.
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

  /** Delivery modes; the order setActiveReverseAjax(true) prefers among the active ones. */
  const MODES = /** @type {readonly Mode[]} */ (Object.freeze(['passive', 'polling', 'comet', 'sse', 'websocket']));
  const ACTIVE_PREFERENCE = /** @type {readonly Mode[]} */ (Object.freeze(['comet', 'sse', 'polling']));
  /** What a page may choose: a mode, or `auto`, the engine's choice among the allowed modes. */
  const CHOICES = /** @type {readonly ModeName[]} */ (Object.freeze([...MODES, 'auto']));
  /** Under `auto`, the modes tried, best first; a failed one makes way for the next. */
  const AUTO_LADDER = /** @type {readonly Mode[]} */ (Object.freeze(['websocket', 'sse', 'comet', 'polling']));
  /** Under `auto`, the wait (ms) before trying a failed mode again; doubled at each failure in a row, up to AUTO_RETRY_MAX. */
  const AUTO_RETRY_FIRST = 60000;
  const AUTO_RETRY_MAX = 15 * 60000;
  /** Under `auto`, a page moved to polling at the server's held-request cap tries its mode again after this long (ms). */
  const AUTO_SLOT_RETRY = 15000;
  /** The sessionStorage key where `auto` remembers, per tab, the modes that failed and when to try them again. */
  const AUTO_MEMORY_KEY = 'pagewire.auto';
  /**
   * What the engine assumes until the handshake says otherwise. Those the server also has mirror
   * `Pagewire.Builder`'s `DEFAULT_*` constants, named at each (in ms where those are in
   * seconds); the Java `DefaultsTest` reads this object and fails when they differ.
   */
  const DEFAULTS = Object.freeze({
    /** Calls per request until the handshake tells the server's `limits.maxCallsPerBatch`. Mirrors `DEFAULT_MAX_CALLS_PER_BATCH`. */
    maxCallsPerBatch: 100,
    /** Per-call timeout in ms until `pagewire.setTimeout`; 0 means a call waits as long as the server takes. */
    timeout: 0,
    /** Delivery advice for what the handshake reply leaves out. */
    delivery: /** @type {Delivery} */ (Object.freeze({
      /** Mirrors `DEFAULT_DELIVERY_MODE`. */
      mode: 'auto',
      /** Every mode, as `allowDeliveryModes` by default. */
      allowed: MODES,
      /** Mirrors `DEFAULT_POLL_INTERVAL_SECONDS`. */
      pollMillis: 5000,
      /** Mirrors `DEFAULT_COMET_HOLD_SECONDS`. */
      holdMillis: 25000,
      /** Mirrors `DEFAULT_SSE_ACK_DELAY_SECONDS`. */
      ackDelayMillis: 1000,
      /** Mirrors `DEFAULT_SSE_HEARTBEAT_SECONDS`. */
      heartbeatMillis: 15000,
    })),
  });
  /** Keys that make a trailing plain object an options object when the arity is ambiguous. */
  const OPTION_KEYS = ['callback', 'errorHandler', 'exceptionHandler', 'timeout', 'onProgress'];
  /** Codes meaning the server method itself failed: these go to an exceptionHandler. */
  const SERVER_FAILURES = ['EXCEPTION', 'INTERNAL'];
  /** Waits in ms before reconnecting after network errors, the last repeating; reset by a success. */
  const RECONNECT_DELAYS = Object.freeze([1000, 2000, 5000, 10000, 30000]);
  /** Each wait varies by up to this fraction, so pages cut off together do not return together. */
  const RECONNECT_JITTER = 0.3;
  /** How long (ms) handshakes pause after a 429 that names no `Retry-After`. */
  const HANDSHAKE_PAUSE = 5000;
  /** The proxy of the server's topic calls (`dev.pagewire.topic.TopicCalls`). */
  const TOPICS = 'PagewireTopics';
  /** An SSE page acknowledges at once, without waiting `ackDelayMillis`, at this many unacknowledged updates. */
  const ACK_THRESHOLD = 100;
  /**
   * How fast (ms per ms) an estimate of the server's time may drift from it as it ages: NTP's
   * largest slew, 500 ppm. A sample's error bound is half its round trip plus this times its age.
   */
  const CLOCK_DRIFT = 0.0005;

  const config = readConfig(options);

  // ---- State ----

  /** @type {PageHandle | null} */ let page = null;
  /** @type {Promise<PageHandle> | null} */ let handshake = null; // in flight; shared by all who wait
  let postedBatches = 0; // the number of the last batch sent by POST call
  /** @type {Promise<void> | null} */ let handshakePause = null; // after a 429: resolves when handshakes may go again
  let started = false;
  let nextCallId = 1;
  /** @type {number} */ let callTimeout = DEFAULTS.timeout;
  /** @type {ErrorHandler | null} */ let globalErrorHandler = null;
  /** @type {PendingCall[]} */ let queuedCalls = []; // made in this task, sent from a microtask
  let flushScheduled = false;
  /** @type {BatchGroup | null} */ let currentBatch = null; // set while batch(fn) runs fn
  /** @type {Map<string, Set<(detail: any) => void>>} */ const listeners = new Map();
  /** @type {Map<string, any>} */ const exposed = new Map();
  /** @type {Set<string>} */ const reportedUnexposed = new Set(); // names told to the server
  /** @type {Map<string, PatternSubscription>} */ const subscriptions = new Map(); // by pattern
  /** @type {Map<string, number>} */ const topicVersions = new Map(); // "topic key" -> last version seen
  let pagesAnnounced = 0; // pages after the first have lost the server's subscriptions
  /** @type {ClockSample | null} */ let clockSample = null; // the best estimate of the server's time
  /** Errors a handler took: the promises they reject must not count as unhandled. */
  const handledErrors = new WeakSet();
  /** @type {(pageId: string) => void} */ let resolveReady = ignore;
  /** @type {Promise<string>} */ const ready = new Promise((resolve) => { resolveReady = resolve; });

  let lastApplied = 0; // highest update seq applied in this page, or the server's `upTo` if higher
  let ackSent = 0; // highest ack sent in this page, on any request
  let unacknowledged = 0; // updates applied since an ack covered them: counted, as numbers may skip
  /** @type {unknown} */ let ackTimer = null; // a pending SSE ack
  let scriptUpdatesAllowed = false;
  let tabSharing = options.shareTabs !== false; // the page's choice; the server's is in its delivery advice
  /** @type {TabRole | null} */ let tabRole = null;
  /** @type {Mode} */ let mode = 'passive';
  /** @type {ModeChoice | null} */ let wish = null; // the page's choice; checked at each handshake
  /** @type {Transport | null} */ let transport = null;
  let switches = 0; // counts mode switches, so a switch made by a `mode` listener wins
  let deliveryReady = false; // false from a handshake until its page's transport may start
  let linkUp = false; // false after `disconnect` until `connect`: each fires once per change
  let failures = 0; // network failures since the last success: picks the reconnect delay
  /** @type {string | null} */ let resyncReason = null; // set when a page is lost, until the next handshake
  /** @type {unknown} */ let recoveryTimer = null;
  let renewedInVain = false; // a transport replaced the lost page and has had no success since
  /** @type {AutoState | null} */ let auto = null; // while the page's choice is `auto`
  /** @type {AutoMemory | null} */ let autoMemory = null; // auto's failed modes, read from sessionStorage once
  /** @type {ModeOptions} */ let transportOptions = {}; // the running transport's, to restart it
  let pageGone = false; // between pagehide and a pageshow from the back-forward cache
  /** @type {Logger | null} */ let logger = readLogger(options.logger, 'createPagewire: options.logger');

  // ---- Public API ----

  const pagewire = Object.freeze({
    start,
    /** Resolves with the page id when the first handshake succeeded; never rejects. */
    ready,
    /** The current page id, or null before the handshake or after losing it. */
    get pageId() { return page ? page.id : null; },
    /** @deprecated Use `pageId`: the same value, under DWR's name. */
    get sessionId() { return page ? page.id : null; },
    /** The current delivery mode: passive, polling, comet, sse or websocket (never `auto`). */
    get mode() { return mode; },
    /** This tab's role in sharing one WebSocket among the tabs: leader, follower, or null (not sharing). */
    get tabRole() { return tabRole; },
    shareTabs,
    /** What chooses the mode: `auto` while the engine does, else the mode chosen (same as `mode`). */
    get modeChoice() { return auto ? 'auto' : mode; },
    proxy: createProxy,
    batch,
    setTimeout: setCallTimeout,
    setErrorHandler,
    setLogger,
    on,
    off,
    expose,
    reverseAjax,
    setActiveReverseAjax,
    allowScriptUpdates,
    subscribe,
    publish,
    serverTime,
    /** The estimate behind `serverTime()`: `{offset, roundTrip}` in ms, or null before any reply. */
    get serverClock() { return clockSample ? { offset: clockSample.offset, roundTrip: clockSample.roundTrip } : null; },
  });
  return pagewire;

  /**
   * Begins the handshake (`POST {base}/handshake`) and listens for pagehide/pageshow. Idempotent.
   * Calls made meanwhile wait for it (a call also starts it if needed); a failure fires
   * `error`, and the next call tries again. Delivery starts in the mode the handshake advises.
   * @returns {Promise<string>} `ready`
   */
  function start() {
    if (!started) {
      started = true;
      listenToPageLifecycle();
      listenToNetwork();
      ensurePage().catch(reportProblem);
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
   * Sets the logger told of the engine's state changes: handshakes, the mode chosen and each
   * change of mode (fallbacks included), connection lost and restored, resyncs and pages
   * ended. None by default. Levels are `debug`, `info`, `warn` and `error`, so
   * `{log: (level, message) => console[level]('pagewire:', message)}` sends them to the console.
   * Messages name the page id, never its token.
   * @param {Logger | null} next  null removes it
   */
  function setLogger(next) {
    logger = readLogger(next, 'pagewire.setLogger');
  }

  /**
   * Adds a listener. Events and their detail:
   * - `error`: the Error, for every failed call and every other failure (an update that could
   *   not be applied, a refused mode, ...). Without listeners, failures that are not calls
   *   go to `reportError`.
   * - `connect` `{page, mode}`: after each handshake, and when an active mode reaches the
   *   server again after `disconnect`.
   * - `disconnect` `{page, code}`: once when an active mode loses the server (`NETWORK`) or
   *   the server no longer knows the page (`PAGE_UNKNOWN`).
   * - `resync` `{page, reason}`: updates were lost, reload what depends on them. `reason` is
   *   `overflow` (the server's queue overflowed), `lost` (a new handshake replaced a page the
   *   server no longer knew) or `restored` (the page came back from the back-forward cache).
   * - `mode` `{mode, reason?}`: the delivery mode changed; `reason` is set when the engine
   *   changed it: `fallback` (the server asked for polling), `refused` (the server refused
   *   the mode) or `unsupported` (no EventSource, or no WebSocket); under `auto` also `auto`
   *   (its first choice, the best allowed mode not remembered as failed), `failed` (the
   *   connection could not be made while plain requests worked: a refused WebSocket upgrade),
   *   `silent` (the connection brought nothing within `heartbeatMillis` plus 10 s: a buffering
   *   proxy) and `upgrade` (trying a better mode again).
   * - `progress` `{proxy, method, loaded, total}`: a call carrying files sent `loaded` of its
   *   request's `total` bytes (as its `onProgress` option is told).
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
   * Registers what the server may call on this page: `"name.method"` for an object,
   * `"name"` for a function exposed under a name without dots.
   * @param {string} name  identifiers joined by dots, e.g. "chatUi" or "app.chat"
   * @param {object | Function} object  its methods are callable; those of Object.prototype never are
   */
  function expose(name, object) {
    requireThat(typeof name === 'string' && /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(name),
      'pagewire.expose: name must be identifiers joined by dots');
    requireThat(object !== null && (typeof object === 'object' || typeof object === 'function'),
      'pagewire.expose: object must be an object or a function');
    exposed.set(name, object);
  }

  // ---- Topics ----

  /**
   * Calls `handler(data, info)` for what is published on every topic `pattern` means:
   * `/chat/lobby`, `/stocks/*` (one segment) or `/stocks/**` (any depth). The subscription
   * holds for this page's life in every mode, and is made again on the page that replaces a lost
   * one. A refusal (`FORBIDDEN`, `BAD_ARGUMENTS`) rejects `ready`, fires `error` and ends it.
   * @param {string} pattern @param {TopicHandler} handler
   * @returns {Subscription}
   */
  function subscribe(pattern, handler) {
    requireThat(typeof pattern === 'string' && pattern.startsWith('/'), 'pagewire.subscribe: pattern must start with /');
    requireThat(typeof handler === 'function', 'pagewire.subscribe: handler must be a function');
    let entry = subscriptions.get(pattern);
    if (!entry) {
      entry = { handlers: new Set(), ready: Promise.resolve() };
      subscriptions.set(pattern, entry);
      sendSubscribe(pattern, entry);
    }
    const mine = (/** @type {any} */ data, /** @type {TopicInfo} */ info) => handler(data, info);
    entry.handlers.add(mine);
    return Object.freeze({
      pattern,
      ready: entry.ready,
      unsubscribe() {
        if (dropHandler(pattern, mine)) invoke(TOPICS, 'unsubscribe', [1], [pattern]).catch(ignore);
      },
    });
  }

  /**
   * Asks the server for `pattern` (again, on a new page); a refusal ends the pattern's every handler.
   * @param {string} pattern @param {PatternSubscription} entry
   */
  function sendSubscribe(pattern, entry) {
    entry.ready = invoke(TOPICS, 'subscribe', [1], [pattern]).then(ignore);
    entry.ready.catch(() => {
      if (subscriptions.get(pattern) === entry) subscriptions.delete(pattern);
    });
  }

  /** Removes a handler; true when it was the pattern's last, so the server may forget the pattern. */
  function dropHandler(/** @type {string} */ pattern, /** @type {TopicHandler} */ handler) {
    const entry = subscriptions.get(pattern);
    if (!entry || !entry.handlers.delete(handler) || entry.handlers.size) return false;
    subscriptions.delete(pattern);
    return true;
  }

  /** A new page after a lost one: the server knows none of our subscriptions there. */
  function resubscribe() {
    for (const [pattern, entry] of subscriptions) sendSubscribe(pattern, entry);
  }

  /**
   * Publishes `data` (anything JSON can carry) on the topic `topic` for the pages subscribed
   * to it, or for the server's handler of a service topic, where the server's rules allow it.
   * @param {string} topic  one topic, without wildcards
   * @param {unknown} data
   * @returns {Promise<void>} settles when the server has queued it; rejects as a call does (`FORBIDDEN`...)
   */
  function publish(topic, data) {
    requireThat(typeof topic === 'string' && topic.startsWith('/'), 'pagewire.publish: topic must start with /');
    const json = JSON.stringify(data === undefined ? null : data);
    return invoke(TOPICS, 'publish', [2], [topic, json]).then(ignore);
  }

  /** @param {any} update  `{topic, data}`, with `key` and `version` for a latest-value topic */
  function deliverTopic(update) {
    /** @type {TopicInfo} */
    const info = { topic: update.topic, key: null, skipped: 0, time: Number.isSafeInteger(update.time) ? update.time : null };
    if (typeof update.key === 'string' && Number.isSafeInteger(update.version)) {
      const id = `${update.topic} ${update.key}`;
      const last = topicVersions.get(id);
      info.key = update.key;
      info.skipped = last === undefined ? 0 : Math.max(0, update.version - last - 1);
      topicVersions.set(id, update.version);
    }
    for (const [pattern, entry] of subscriptions) {
      if (!topicMatches(pattern, update.topic)) continue;
      for (const handler of [...entry.handlers]) {
        try {
          handler(update.data, info);
        } catch (error) {
          reportProblem(createError({ code: 'UPDATE_FAILED', message: `handler of ${pattern} failed: ${messageOf(error)}` }, null, error));
        }
      }
    }
  }

  /**
   * Chooses how this page receives updates, within the handshake's `delivery.allowed`.
   * Before the handshake the choice is recorded and checked when it comes (an `error` event
   * if it is not allowed). The choice also holds for pages that replace a lost one. `auto` is
   * always allowed: the engine uses the best allowed mode that works (see the `mode` event).
   * @template {ModeName} M
   * @param {M} requested  "auto", "passive", "polling", "comet", "sse" or "websocket"
   * @param {ModeOptions} [modeOptions]  `interval`: ms between polls, overriding the server's;
   *   `upgradeAfter` (auto): ms before a failed mode is tried again, doubled at each failure in a row
   * @returns {M} the choice
   * @throws {PagewireError} code MODE_NOT_ALLOWED when the page's rules refuse the mode
   */
  function reverseAjax(requested, modeOptions) {
    requireThat(CHOICES.includes(requested), `pagewire.reverseAjax: mode must be one of ${CHOICES.join(', ')}`);
    const choice = { mode: requested, options: readModeOptions(modeOptions) };
    if (page && requested !== 'auto' && !page.delivery.allowed.includes(requested)) throw createError(modeRefusal(requested, page.delivery));
    wish = choice;
    if (page && deliveryReady) applyChoice(choice);
    return requested;
  }

  /**
   * DWR's switch. true: the server's advised mode if it is an active one, else the first
   * allowed of comet, sse, polling; false: passive.
   * @param {boolean} active
   * @throws {PagewireError} code MODE_NOT_ALLOWED when no such mode is allowed
   */
  function setActiveReverseAjax(active) {
    if (!active) {
      reverseAjax('passive');
    } else if (!page) {
      wish = { mode: 'active', options: {} }; // resolved when the handshake tells what is allowed
    } else {
      const active = activeModeFor(page.delivery);
      if (!active) throw createError(modeRefusal('active', page.delivery));
      reverseAjax(active);
    }
  }

  /**
   * Whether this tab may share one WebSocket with the other tabs of the origin (on by default,
   * where the server allows it and the browser has Web Locks and BroadcastChannel). A change
   * restarts a running websocket delivery.
   * @param {boolean} share
   */
  function shareTabs(share) {
    if (tabSharing === Boolean(share)) return;
    tabSharing = Boolean(share);
    if (page && deliveryReady && mode === 'websocket') switchMode('websocket', {});
  }

  /**
   * Lets `script` updates run (with a global eval). Off by default: structured calls of
   * exposed functions cannot run code the page did not write.
   * @param {boolean} allowed
   */
  function allowScriptUpdates(allowed) {
    scriptUpdatesAllowed = Boolean(allowed);
  }

  // ---- Server time ----

  /**
   * The server's clock now, in ms since the epoch: the page's clock plus the offset estimated
   * from its exchanges with the server (the handshake, call replies, plain polls), each stamped
   * with the server's `time`. Each exchange bounds the offset within half its round trip; the
   * sample with the smallest bound wins, a bound growing with the sample's age (CLOCK_DRIFT) so
   * fresher samples take over in time. Before any reply, the page's own clock.
   * @returns {number}
   */
  function serverTime() {
    return config.now() + (clockSample ? clockSample.offset : 0);
  }

  /**
   * An exchange sent at `sentAt` came back now carrying the server's `time`, stamped between the
   * two: the offset is within half the round trip of `time` minus the exchange's midpoint.
   * @param {unknown} time @param {number} sentAt
   */
  function sampleServerTime(time, sentAt) {
    const now = config.now();
    const roundTrip = now - sentAt;
    if (typeof time !== 'number' || !Number.isSafeInteger(time) || roundTrip < 0) return;
    if (clockSample && errorBound(clockSample, now) <= roundTrip / 2) return;
    clockSample = { offset: time - (sentAt + now) / 2, roundTrip, at: now };
  }

  /** @param {ClockSample} sample @param {number} now @returns {number} how far off it may be now */
  function errorBound(sample, now) {
    return sample.roundTrip / 2 + CLOCK_DRIFT * Math.max(0, now - sample.at);
  }

  // ---- Configuration ----

  /** @param {PagewireOptions} options @returns {Config} */
  function readConfig(options) {
    requireThat(options && typeof options.base === 'string', 'createPagewire: options.base (the mount URL) is required');
    // Defaults look the globals up at each use, so tests and polyfills may replace them later.
    const base = mountUrl(options.base.replace(/\/+$/, ''), options.script, globalThis.location);
    return {
      base,
      crossOrigin: isOtherOrigin(base, globalThis.location),
      path: options.path ?? options.page ?? (globalThis.location ? globalThis.location.pathname : '/'),
      fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
      setTimeout: options.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms)),
      clearTimeout: options.clearTimeout ?? ((handle) => globalThis.clearTimeout(handle)),
      queueMicrotask: options.queueMicrotask ?? ((fn) => globalThis.queueMicrotask(fn)),
      random: options.random ?? (() => Math.random()),
      now: options.now ?? (() => Date.now()),
      EventSource: () => options.EventSource ?? globalThis.EventSource,
      WebSocket: () => options.WebSocket ?? globalThis.WebSocket,
      XMLHttpRequest: () => options.XMLHttpRequest ?? globalThis.XMLHttpRequest,
      Blob: () => options.Blob ?? globalThis.Blob,
      locks: () => options.locks ?? (globalThis.navigator ? globalThis.navigator.locks : undefined),
      BroadcastChannel: () => options.BroadcastChannel ?? globalThis.BroadcastChannel,
      document: () => options.document ?? globalThis.document,
      sendBeacon: options.sendBeacon ?? ((url, body) => globalThis.navigator.sendBeacon(url, body)),
      window: options.window ?? globalThis,
      sessionStorage: () => (options.sessionStorage !== undefined ? options.sessionStorage : readSessionStorage()),
    };
  }

  /** The tab's sessionStorage, or null where there is none (or reading it throws, as in a sandbox). @returns {Storage | null} */
  function readSessionStorage() {
    try {
      return globalThis.sessionStorage ?? null;
    } catch {
      return null;
    }
  }

  /** @param {unknown} raw @param {string} where @returns {Logger | null} */
  function readLogger(raw, where) {
    if (raw === undefined || raw === null) return null;
    requireThat(typeof raw === 'object' && typeof /** @type {any} */ (raw).log === 'function',
      `${where}: a logger is an object with a log(level, message) function`);
    return /** @type {Logger} */ (raw);
  }

  /** @param {unknown} raw @returns {ModeOptions} */
  function readModeOptions(raw) {
    requireThat(raw === undefined || isPlainObject(raw), 'pagewire.reverseAjax: options must be a plain object');
    /** @type {ModeOptions} */
    const read = {};
    for (const key of /** @type {const} */ (['interval', 'upgradeAfter'])) {
      const value = raw === undefined ? undefined : /** @type {any} */ (raw)[key];
      requireThat(value === undefined || (readTimeout(value) !== undefined && value > 0),
        `pagewire.reverseAjax: options.${key} must be a number of ms > 0`);
      if (value !== undefined) read[key] = value;
    }
    return read;
  }

  // ---- Handshake ----

  /** @returns {Promise<PageHandle>} the current page, after a handshake if there is none */
  function ensurePage() {
    if (page) return Promise.resolve(page);
    if (!handshake) handshake = handshakePause ? handshakePause.then(performHandshake) : performHandshake();
    return handshake;
  }

  /** @returns {Promise<PageHandle>} */
  async function performHandshake() {
    let reply;
    try {
      reply = await postJson('/handshake', JSON.stringify({ path: config.path }), {});
    } finally {
      // Now, not in a later .finally(): code running right after `ready` may drop the page.
      handshake = null;
    }
    const body = reply.payload;
    if (reply.status === 429) pauseHandshakes(reply.retryAfter);
    if (!reply.ok || !body || typeof body.page !== 'string' || typeof body.token !== 'string') {
      const fault = describeRefusal(reply);
      log(reply.status === 429 ? 'warn' : 'error', `handshake refused: ${reply.status} ${fault.code}`);
      throw createError(fault);
    }
    const fresh = {
      id: body.page, token: body.token, maxCallsPerBatch: readBatchLimit(body.limits),
      uploads: readUploadLimits(body.limits), delivery: readDelivery(body.delivery),
    };
    page = fresh;
    lastApplied = 0; // update numbers are per page
    ackSent = 0;
    unacknowledged = 0;
    linkUp = true;
    deliveryReady = false;
    log('info', `handshake done: page ${fresh.id}, advised mode ${fresh.delivery.mode}`);
    resolveReady(fresh.id);
    announcePage(fresh);
    return fresh;
  }

  /**
   * The server refused a handshake for coming too often: later handshakes (of calls and of
   * recoveries alike) wait `Retry-After` seconds rather than hammer it.
   * @param {number | undefined} seconds
   */
  function pauseHandshakes(seconds) {
    const ms = seconds !== undefined && seconds > 0 ? seconds * 1000 : HANDSHAKE_PAUSE;
    /** @type {Promise<void>} */
    const pause = new Promise((resolve) => { config.setTimeout(() => resolve(undefined), ms); })
      .then(() => { if (handshakePause === pause) handshakePause = null; });
    handshakePause = pause;
  }

  /**
   * Fires `connect` (and `resync` if this page replaces a lost one), then starts delivery.
   * Listeners may choose a mode meanwhile: `reverseAjax` only records it until delivery starts.
   * @param {PageHandle} fresh
   */
  function announcePage(fresh) {
    const wishBefore = wish;
    let choice = chooseMode(fresh.delivery);
    emit('connect', { page: fresh.id, mode: choice.mode === 'auto' ? autoPick(fresh.delivery) : choice.mode });
    if (resyncReason) {
      const reason = resyncReason;
      resyncReason = null;
      announceResync(fresh.id, reason);
    }
    if (page !== fresh || pageGone) return;
    if (wish !== wishBefore) choice = chooseMode(fresh.delivery);
    if (pagesAnnounced++ > 0) resubscribe();
    deliveryReady = true;
    log('debug', `mode chosen: ${choice.mode}`);
    applyChoice(choice);
    if (mode === 'passive' && page === fresh) void confirmPage(fresh);
  }

  /**
   * A passive page may make no request for a long time, but the server ends a page not heard
   * from soon after its handshake: an empty acknowledgement tells it this page is here.
   * @param {PageHandle} current
   */
  async function confirmPage(current) {
    let reply;
    try {
      reply = await postJson('/ack', '{"ack":0}', pageHeaders(current));
    } catch {
      return; // no reply: the next call finds out whether the page lives
    }
    if (!reply.ok) handleRefusal(current, reply);
  }

  /**
   * Replaces a page the server no longer knows. Several requests may find out at once:
   * only the first drops it, stops delivery and handshakes; the others wait for the same one.
   * @param {PageHandle | null} stale @returns {Promise<PageHandle>}
   */
  function renewPage(stale) {
    if (page !== stale || !stale) return ensurePage();
    log('info', `page ${stale.id} ended by the server (PAGE_UNKNOWN): new handshake`);
    stopTransport();
    reportLinkLost(stale, 'PAGE_UNKNOWN');
    page = null;
    deliveryReady = false;
    resyncReason = 'lost';
    return ensurePage();
  }

  /**
   * A transport's request found the page gone: renew it, retrying with backoff while the
   * handshake fails (calls retry on their own). Renewals that bring no working delivery
   * back off too: a server that forgets each new page must not get handshakes at full speed.
   * @param {PageHandle} stale
   */
  function recoverPage(stale) {
    if (renewedInVain) renewLater(stale);
    else renewNow(stale);
  }

  /** @param {PageHandle | null} stale */
  function renewNow(stale) {
    renewedInVain = true;
    renewPage(stale).catch((error) => {
      reportProblem(error);
      renewLater(null);
    });
  }

  /** @param {PageHandle | null} stale */
  function renewLater(stale) {
    if (stale && page === stale) {
      stopTransport();
      reportLinkLost(stale, 'PAGE_UNKNOWN');
    }
    if (pageGone || recoveryTimer !== null) return;
    recoveryTimer = config.setTimeout(() => {
      recoveryTimer = null;
      renewNow(stale);
    }, nextReconnectDelay());
  }

  /** @param {any} limits */
  function readBatchLimit(limits) {
    const max = limits && limits.maxCallsPerBatch;
    return Number.isInteger(max) && max > 0 ? max : DEFAULTS.maxCallsPerBatch;
  }

  /**
   * The upload limits the handshake names; a limit it leaves out is not checked here (the
   * server still checks it).
   * @param {any} limits @returns {UploadLimits}
   */
  function readUploadLimits(limits) {
    const given = limits && typeof limits === 'object' ? limits : {};
    /** @param {string} key */
    const positive = (key) => (Number.isSafeInteger(given[key]) && given[key] > 0 ? given[key] : Infinity);
    return {
      maxUploadBytes: positive('maxUploadBytes'),
      maxUploadBytesPerCall: positive('maxUploadBytesPerCall'),
      maxUploadFiles: positive('maxUploadFiles'),
    };
  }

  /** @param {any} raw  the handshake's `delivery` @returns {Delivery} */
  function readDelivery(raw) {
    const given = raw && typeof raw === 'object' ? raw : {};
    const fallback = DEFAULTS.delivery;
    /** @param {string} key */
    const positive = (key) => (readTimeout(given[key]) !== undefined && given[key] > 0 ? given[key] : /** @type {any} */ (fallback)[key]);
    return {
      mode: CHOICES.includes(given.mode) ? given.mode : fallback.mode,
      allowed: Array.isArray(given.allowed) ? given.allowed.filter((/** @type {any} */ m) => MODES.includes(m)) : fallback.allowed,
      pollMillis: positive('pollMillis'),
      holdMillis: positive('holdMillis'),
      ackDelayMillis: positive('ackDelayMillis'),
      heartbeatMillis: positive('heartbeatMillis'),
      shareTabs: given.shareTabs === true,
    };
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
      onProgress: readFunction(raw.onProgress),
    };
  }

  /** @param {string} proxy @param {string} method @param {CallOptions} options @returns {PendingCall} */
  function createCall(proxy, method, options) {
    /** @type {(value: any) => void} */
    let resolve = ignore;
    /** @type {(error: PagewireError) => void} */
    let reject = ignore;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    const call = { id: nextCallId++, proxy, method, options, wire: '', files: [], abortUpload: null, promise, resolve, reject, timer: null, settled: false };
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
   * and an argument JSON cannot carry fails only its own call. A `Blob` (a `File` too) anywhere
   * in the arguments becomes `{"$file": i}` and travels as the call's file `i` (see postFiles).
   * @param {PendingCall} call @param {any[]} params @returns {Fault | null}
   */
  function encodeCall(call, params) {
    const BlobType = config.Blob();
    /** @type {Blob[]} */
    const files = [];
    /** @param {string} key @param {any} value */
    const replacer = (key, value) => (BlobType && value instanceof BlobType ? { $file: files.push(value) - 1 } : value);
    try {
      // JSON writes undefined array items as null, which is what the server expects.
      call.wire = JSON.stringify({ id: call.id, proxy: call.proxy, method: call.method, args: params }, replacer);
      call.files = files;
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
      current = await ensurePage();
    } catch (error) {
      failCalls(calls, faultOf(error), error);
      return;
    }
    const limit = current.maxCallsPerBatch;
    let waiting = calls.filter(isPending);
    while (waiting.length) {
      const chunk = nextChunk(waiting, limit);
      await sendChunk(chunk);
      // Calls that timed out while that chunk ran are not worth sending.
      waiting = waiting.slice(chunk.length).filter(isPending);
    }
  }

  /**
   * The calls that go in the next request: up to `limit`, but a call carrying files goes alone
   * (multipart, with its own progress and its own refusal), so a file refused fails no other call.
   * @param {PendingCall[]} calls @param {number} limit @returns {PendingCall[]}
   */
  function nextChunk(calls, limit) {
    if (calls[0].files.length) return calls.slice(0, 1);
    const withFiles = calls.findIndex((call) => call.files.length > 0);
    return calls.slice(0, Math.min(limit, withFiles < 0 ? calls.length : withFiles));
  }

  /** @param {PendingCall[]} calls */
  async function sendChunk(calls) {
    try {
      let used = await ensurePage();
      let outcome = await postCalls(calls, used);
      if (outcome.fault && outcome.fault.code === 'PAGE_UNKNOWN') {
        // The server ran none of these calls, so sending them again is safe. Once only.
        used = await renewPage(used);
        const again = calls.filter(isPending);
        if (again.length) outcome = await postCalls(again, used);
      }
      // Updates first: a callback then sees what the server pushed before it replied.
      applyDeliveryOf(used, outcome);
      settleCalls(calls, outcome);
    } catch (error) {
      failCalls(calls, faultOf(error), error);
    }
  }

  /** @param {PendingCall[]} calls @param {PageHandle} current @returns {Promise<Outcome>} */
  async function postCalls(calls, current) {
    const ack = lastApplied;
    if (calls[0].files.length) return postFiles(calls[0], current, ack);
    // A transport with a connection of its own (websocket) carries them when it is open; when it
    // is not, they certainly did not reach the server and go by POST.
    const sentAt = config.now();
    const carried = transport && page === current ? transport.send({ ack, calls }) : null;
    noteAckSent(ack);
    if (carried) return carried.then((outcome) => { sampleServerTime(outcome.time, sentAt); return outcome; });
    // Numbered, so that a POST the browser sends again (its reused connection failed before the
    // reply began) is answered from the first run instead of running twice.
    postedBatches += 1;
    const body = `{"ack":${ack},"batch":${postedBatches},"calls":[${calls.map((call) => call.wire).join(',')}]}`;
    let reply;
    try {
      reply = await postJson('/call', body, pageHeaders(current));
    } catch (error) {
      return { fault: faultOf(error), cause: error };
    }
    return callOutcome(reply);
  }

  /** @param {{status: number, ok: boolean, payload: any}} reply @returns {Outcome} */
  function callOutcome(reply) {
    const payload = reply.payload;
    if (reply.ok && payload && Array.isArray(payload.replies)) return { replies: payload.replies, updates: payload.updates, upTo: payload.upTo };
    return { fault: describeRefusal(reply) };
  }

  // ---- Files ----

  /**
   * Sends a call that carries files as `multipart/form-data` (part `batch`: the JSON body of
   * `POST call`; then one part `file` per file, in the order of their `$file` indexes), by
   * XMLHttpRequest rather than fetch, which cannot report upload progress. Files past the
   * handshake's limits are refused here, without sending them.
   * @param {PendingCall} call @param {PageHandle} current @param {number} ack @returns {Promise<Outcome>}
   */
  async function postFiles(call, current, ack) {
    const fault = uploadLimitFault(call, current.uploads);
    if (fault) return { fault };
    noteAckSent(ack);
    const form = new FormData();
    postedBatches += 1; // numbered as every POST call is (see postCalls)
    form.append('batch', `{"ack":${ack},"batch":${postedBatches},"calls":[${call.wire}]}`);
    for (const file of call.files) form.append('file', file, fileName(file));
    let reply;
    try {
      reply = await postForm('/call', form, pageHeaders(current), (loaded, total) => reportProgress(call, loaded, total),
        (abort) => { call.abortUpload = abort; });
    } catch (error) {
      return { fault: faultOf(error), cause: error };
    } finally {
      call.abortUpload = null;
    }
    return callOutcome(reply);
  }

  /** @param {PendingCall} call @param {UploadLimits} limits @returns {Fault | null} */
  function uploadLimitFault(call, limits) {
    const tooLarge = (/** @type {string} */ message) => ({ code: 'PAYLOAD_TOO_LARGE', message });
    if (call.files.length > limits.maxUploadFiles) {
      return tooLarge(`more than maxUploadFiles (${limits.maxUploadFiles}) files in one call`);
    }
    const big = call.files.find((file) => file.size > limits.maxUploadBytes);
    if (big) return tooLarge(`the file ${fileName(big)} exceeds maxUploadBytes (${limits.maxUploadBytes} bytes)`);
    const total = call.files.reduce((sum, file) => sum + file.size, 0);
    if (total > limits.maxUploadBytesPerCall) {
      return tooLarge(`the files of one call exceed maxUploadBytesPerCall (${limits.maxUploadBytesPerCall} bytes)`);
    }
    return null;
  }

  /** A `File`'s name, or `blob` for a Blob without one. @param {Blob} file */
  function fileName(file) {
    const name = /** @type {any} */ (file).name;
    return typeof name === 'string' && name !== '' ? name : 'blob';
  }

  /**
   * POSTs a form by XMLHttpRequest; the browser writes the multipart body and its boundary.
   * Rejects (a NETWORK error) only when no reply came.
   * @param {string} path @param {FormData} form @param {Record<string, string>} headers
   * @param {(loaded: number, total: number) => void} onProgress  bytes of the body sent so far
   * @param {(abort: () => void) => void} onSend  given a function that cuts the request
   * @returns {Promise<{status: number, ok: boolean, payload: any}>}
   */
  function postForm(path, form, headers, onProgress, onSend) {
    return new Promise((resolve, reject) => {
      const Xhr = /** @type {typeof XMLHttpRequest} */ (config.XMLHttpRequest());
      const xhr = new Xhr();
      xhr.open('POST', config.base + path);
      xhr.withCredentials = config.crossOrigin;
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : NaN);
      xhr.onload = () => {
        let payload;
        try {
          payload = JSON.parse(xhr.responseText);
        } catch {
          payload = undefined;
        }
        resolve({ status: xhr.status, ok: xhr.status >= 200 && xhr.status < 300, payload });
      };
      xhr.onerror = xhr.onabort = xhr.ontimeout = () => {
        reject(createError({ code: 'NETWORK', message: `Network error on ${path} (upload)` }));
      };
      xhr.send(form);
      onSend(() => xhr.abort());
    });
  }

  /**
   * Tells the call's `onProgress` and the `progress` listeners how much of its request is sent.
   * @param {PendingCall} call @param {number} loaded @param {number} total  NaN when unknown
   */
  function reportProgress(call, loaded, total) {
    if (call.settled) return;
    if (call.options.onProgress) invokeSafely(call.options.onProgress, { loaded, total });
    emit('progress', { proxy: call.proxy, method: call.method, loaded, total });
  }

  /**
   * A call's result as the page gets it: a download (`{"$download": {...}}`) becomes a
   * FileDownload with `save()`; anything else is the result as it came.
   * @param {any} result @returns {any}
   */
  function readResult(result) {
    if (!isPlainObject(result) || Object.keys(result).length !== 1 || !isPlainObject(result.$download)) return result;
    const raw = result.$download;
    const name = String(raw.name);
    const url = absoluteUrl(String(raw.url));
    /** @type {FileDownload} */
    const download = {
      name,
      type: String(raw.type),
      size: Number.isSafeInteger(raw.size) ? raw.size : null,
      url,
      save: () => saveDownload(url, name),
    };
    return Object.freeze(download);
  }

  /** `url` made absolute against the mount (as a page may pass it on); as it is where no base is known. @param {string} url */
  function absoluteUrl(url) {
    try {
      return new URL(url, new URL(config.base + '/', globalThis.location && globalThis.location.href)).href;
    } catch {
      return url;
    }
  }

  /**
   * Makes the browser download `url` (once: the URL serves one download), as a click on an
   * anchor with `download` does.
   * @param {string} url @param {string} name
   */
  function saveDownload(url, name) {
    const doc = /** @type {Document} */ (config.document());
    const anchor = doc.createElement('a');
    anchor.href = url;
    anchor.download = name;
    anchor.style.display = 'none';
    doc.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
  }

  /**
   * POSTs a JSON body to `{base}{path}`. Throws (a NETWORK error) only when no reply came.
   * @param {string} path @param {string} body @param {Record<string, string>} headers
   * @param {AbortSignal} [signal]  aborts the request (a NETWORK error)
   * @returns {Promise<{status: number, ok: boolean, payload: any, retryAfter?: number}>} payload undefined
   *   if not JSON; retryAfter: the `Retry-After` header in seconds, if any
   */
  async function postJson(path, body, headers, signal) {
    const sentAt = config.now();
    let response;
    try {
      response = await config.fetch(config.base + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body,
        // another origin's server (listed in its allowOrigins) gets the cookies too
        credentials: config.crossOrigin ? 'include' : 'same-origin',
        ...(signal ? { signal } : {}),
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
    if (payload) sampleServerTime(payload.time, sentAt);
    const retryAfter = response.headers && typeof response.headers.get === 'function'
      ? Number(response.headers.get('Retry-After')) : undefined;
    return { status: response.status, ok: response.ok, payload, retryAfter };
  }

  /** @param {PageHandle} current @returns {Record<string, string>} */
  function pageHeaders(current) {
    return { 'Pagewire-Page': current.id, 'Pagewire-Token': current.token };
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
      else completeCall(call, readResult(reply.result ?? null));
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
    // A call that timed out stops sending its files; the server then runs nothing of it.
    if (call.abortUpload) call.abortUpload();
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

  /** @param {ModeName | 'active'} requested @param {Delivery} delivery @returns {Fault} */
  function modeRefusal(requested, delivery) {
    const what = requested === 'active' ? 'No active delivery mode is' : `Delivery mode ${requested} is not`;
    return { code: 'MODE_NOT_ALLOWED', message: `${what} allowed for this page; allowed: ${delivery.allowed.join(', ') || 'none'}` };
  }

  // ---- Updates ----

  /**
   * Applies what a call or poll reply brought: its updates, then its `upTo`.
   * @param {PageHandle} from  the page the reply came in @param {{updates?: unknown, upTo?: unknown}} delivered
   */
  function applyDeliveryOf(from, delivered) {
    applyUpdatesOf(from, delivered.updates);
    advanceCursorOf(from, delivered.upTo);
  }

  /** @param {PageHandle} from  the page the updates came in @param {unknown} updates */
  function applyUpdatesOf(from, updates) {
    // Numbers of a replaced page mean nothing in the new one.
    if (page === from && Array.isArray(updates)) applyUpdates(updates);
  }

  /**
   * `upTo`: the server says the page has every update meant for it up to that number. Numbers
   * minted by a backend are not consecutive and shared by all pages, so without it a quiet
   * page's cursor (its `ack`) would stay far behind. Moves the cursor forward only; anything but
   * a safe integer above it is ignored. Sends nothing: the next request carries the new `ack`.
   * @param {PageHandle} from  the page the reply came in @param {unknown} upTo
   */
  function advanceCursorOf(from, upTo) {
    // Checked after the updates too: a handler may have replaced the page.
    if (page === from && Number.isSafeInteger(upTo) && /** @type {number} */ (upTo) > lastApplied) {
      lastApplied = /** @type {number} */ (upTo);
    }
  }

  /**
   * Applies updates in array order, each number once: the server sends every unacknowledged
   * update again after a lost reply, so numbers already applied are dropped. An update that
   * fails still counts as applied; sending it again would fail again.
   * @param {any[]} updates
   */
  function applyUpdates(updates) {
    for (const update of updates) {
      const seq = update && update.seq;
      if (!Number.isSafeInteger(seq) || seq <= 0) {
        reportProblem(createError({ code: 'UPDATE_FAILED', message: `Malformed update: ${safeJson(update)}` }));
      } else if (seq > lastApplied) {
        lastApplied = seq; // first: a handler that polls or calls acknowledges its own update
        unacknowledged++;
        applyUpdate(update);
      }
    }
  }

  /** @param {any} update */
  function applyUpdate(update) {
    if (typeof update.call === 'string') callExposed(update.call, update.args);
    else if (typeof update.script === 'string') runScript(update.script);
    else if (update.resync === true) announceResync(page && page.id, 'overflow');
    else if (typeof update.topic === 'string') deliverTopic(update);
    else reportProblem(createError({ code: 'UPDATE_FAILED', message: `Unknown kind of update ${update.seq}` }));
  }

  /** @param {string} path  e.g. "chatUi.addMessage" @param {unknown} args */
  function callExposed(path, args) {
    const target = findExposed(path);
    if (!target) {
      reportProblem(createError({ code: 'UNKNOWN_FUNCTION', message: `No exposed function ${path}` }));
      reportUnexposed(path);
      return;
    }
    try {
      target.fn.apply(target.self, Array.isArray(args) ? args : []);
    } catch (error) {
      reportProblem(createError({ code: 'UPDATE_FAILED', message: `${path} failed: ${messageOf(error)}` }, null, error));
    }
  }

  /**
   * Tells the server, once per name and page, that a push called a function this page has not
   * exposed (`POST unexposed`), so that the server's log names it too. Fire and forget: a failed
   * report is not retried.
   * @param {string} path
   */
  function reportUnexposed(path) {
    if (!page || reportedUnexposed.has(path)) return;
    reportedUnexposed.add(path);
    postJson('/unexposed', JSON.stringify({ function: path }), pageHeaders(page)).catch(() => {});
  }

  /**
   * The exposed object is named by all before the last dot (names may contain dots), the
   * function by the last part; a path without a dot may name an exposed function.
   * @param {string} path @returns {{self: any, fn: Function} | null}
   */
  function findExposed(path) {
    const dot = path.lastIndexOf('.');
    if (dot < 0) {
      const fn = exposed.get(path);
      return typeof fn === 'function' ? { self: undefined, fn } : null;
    }
    const self = exposed.get(path.slice(0, dot));
    const name = path.slice(dot + 1);
    // Only the page's own functions: never what every object or function inherits (constructor, call...).
    if (!self || name in Object.prototype || (typeof self === 'function' && name in Function.prototype)) return null;
    const fn = self[name];
    return typeof fn === 'function' ? { self, fn } : null;
  }

  /** @param {string} script */
  function runScript(script) {
    if (!scriptUpdatesAllowed) {
      const message = 'Script update refused: the page did not call pagewire.allowScriptUpdates(true)';
      reportProblem(createError({ code: 'SCRIPT_REFUSED', message }));
      return;
    }
    // Called by another name, eval is indirect: global scope, none of the engine's variables.
    const globalEval = globalThis.eval;
    try {
      globalEval(script);
    } catch (error) {
      reportProblem(createError({ code: 'UPDATE_FAILED', message: `Script update failed: ${messageOf(error)}` }, null, error));
    }
  }

  // ---- Acknowledgements ----

  /** Records an ack put on the wire; a pending SSE ack it covers is no longer needed. */
  function noteAckSent(/** @type {number} */ ack) {
    if (ack > ackSent) ackSent = ack;
    if (ackSent < lastApplied) return;
    unacknowledged = 0;
    clearAckTimer();
  }

  /**
   * SSE has no request to carry the ack: send one within `ackDelayMillis` of applying, or at once
   * when many are waiting, so the server may drop them from its queue.
   * @param {PageHandle} current
   */
  function scheduleAck(current) {
    if (unacknowledged >= ACK_THRESHOLD) void sendAck(current);
    else if (unacknowledged > 0 && ackTimer === null) ackTimer = config.setTimeout(() => { ackTimer = null; void sendAck(current); }, current.delivery.ackDelayMillis);
  }

  /** `POST ack {"ack": n}`; expects 204. @param {PageHandle} current */
  async function sendAck(current) {
    clearAckTimer();
    if (page !== current || lastApplied <= ackSent) return;
    const ack = lastApplied;
    const before = ackSent;
    const counted = unacknowledged;
    noteAckSent(ack);
    const carried = transport ? transport.send({ ack }) : null;
    let reply = null;
    try {
      reply = carried ? { status: 204, ok: !(await carried).fault, payload: undefined }
        : await postJson('/ack', JSON.stringify({ ack }), pageHeaders(current));
    } catch {
      // No reply: the stream's error handling deals with the connection.
    }
    if (reply && reply.ok) return;
    if (carried) reply = null; // the socket's own handling deals with it
    if (page === current && ackSent === ack) { // the next applied update acks again
      ackSent = before;
      unacknowledged += counted;
    }
    if (reply) handleRefusal(current, reply);
  }

  function clearAckTimer() {
    if (ackTimer === null) return;
    config.clearTimeout(ackTimer);
    ackTimer = null;
  }

  // ---- Delivery modes ----

  /**
   * The page's choice if its delivery rules allow it (else an `error` event, and the choice is
   * dropped), else the server's advice. `auto` is always allowed.
   * @param {Delivery} delivery @returns {ModeChoice & {mode: ModeName}}
   */
  function chooseMode(delivery) {
    if (wish) {
      const wanted = wish.mode === 'active' ? activeModeFor(delivery) : wish.mode;
      if (wanted && (wanted === 'auto' || delivery.allowed.includes(wanted))) return { mode: wanted, options: wish.options };
      reportProblem(createError(modeRefusal(wish.mode, delivery)));
      wish = null;
    }
    return { mode: delivery.mode, options: {} };
  }

  /** @param {Delivery} delivery @returns {ModeName | null} what setActiveReverseAjax(true) means here */
  function activeModeFor(delivery) {
    if (delivery.mode === 'auto') return 'auto';
    if (delivery.mode !== 'passive' && delivery.allowed.includes(delivery.mode)) return delivery.mode;
    return ACTIVE_PREFERENCE.find((m) => delivery.allowed.includes(m)) || null;
  }

  /**
   * Stops the current transport and starts one for `next` (if the page is ready).
   * @param {Mode} next @param {ModeOptions} modeOptions @param {string} [reason]  set when the engine decided
   */
  function switchMode(next, modeOptions, reason) {
    const missing = supports(next) ? null : next === 'sse' ? 'EventSource' : 'WebSocket';
    if (missing) {
      reportProblem(createError({ code: 'MODE_UNSUPPORTED', message: `This browser has no ${missing}; polling instead of ${next}` }));
      switchMode('polling', {}, 'unsupported');
      return;
    }
    stopTransport();
    const switchNumber = ++switches;
    const before = mode;
    mode = next;
    if (next !== before) {
      log(reason ? 'warn' : 'info', `mode changed: ${before} -> ${next}${reason ? ` (${reason})` : ''}`);
      emit('mode', reason ? { mode: next, reason } : { mode: next });
    }
    // A `mode` listener may have switched again; its switch has started its own transport.
    if (switchNumber === switches) startTransport(next, modeOptions);
  }

  /**
   * Makes the transport of an active mode for the current page, wires its `onReceive` and
   * `onClose` to the engine, and starts it.
   * @param {Mode} which @param {ModeOptions} modeOptions
   */
  function startTransport(which, modeOptions) {
    stopTransport();
    transportOptions = modeOptions;
    if (!page || !deliveryReady || pageGone) return;
    const host = createTransportHost(page, which);
    let made = null;
    if (which === 'polling') made = createPollingTransport(host, modeOptions);
    else if (which === 'comet') made = createCometTransport(host);
    else if (which === 'sse') made = createStreamTransport(host);
    else if (which === 'websocket') made = sharesTabs(page) ? createSharedSocketTransport(host, changeTabRole) : createSocketTransport(host);
    if (!made) return;
    const current = page;
    const own = made;
    own.onReceive = (delivered) => { if (transport === own) applyDeliveryOf(current, delivered); };
    own.onClose = (next) => { if (transport === own) transportClosed(next); };
    transport = own;
    own.start();
  }

  /** @param {PageHandle} current */
  function sharesTabs(current) {
    return tabSharing && current.delivery.shareTabs === true && canShareTabs(config);
  }

  /** A shared socket's role changed: the `role` event (not for null: the transport stopped). @param {TabRole | null} role */
  function changeTabRole(role) {
    tabRole = role;
    if (!role || !page) return;
    log('info', `tab role: ${role} (page ${page.id})`);
    emit('role', { page: page.id, role });
  }

  /**
   * Everything a transport of `current` in mode `which` may use of the engine, as one object.
   * @param {PageHandle} current @param {Mode} which @returns {TransportHost}
   */
  function createTransportHost(current, which) {
    return Object.freeze({
      failed: (/** @type {string} */ reason) => autoFailed(current, which, reason),
      page: current,
      config,
      cursor: () => lastApplied,
      nextDelay: nextReconnectDelay,
      linkLost: (/** @type {string} */ code) => reportLinkLost(current, code),
      linkRestored: (/** @type {boolean | undefined} */ proven) => reportLinkRestored(current, proven),
      linkProven: reportLinkProven,
      poll: (/** @type {{ack: number, hold?: boolean}} */ body, /** @type {AbortSignal | undefined} */ signal,
        /** @type {() => boolean} */ isStopped) => pollOnce(current, body, signal, isStopped),
      refused: (/** @type {{status: number, payload: any}} */ reply) => handleRefusal(current, reply),
      ackLater: () => scheduleAck(current),
      reportProblem,
      createError: (/** @type {Fault} */ fault) => createError(fault),
    });
  }

  function stopTransport() {
    clearAckTimer();
    const stopping = transport;
    transport = null;
    if (stopping) stopping.stop();
  }

  /** An active transport lost the server: `disconnect`, once until it comes back. @param {PageHandle} current @param {string} code */
  function reportLinkLost(current, code) {
    if (!linkUp || page !== current) return;
    linkUp = false;
    log('warn', `connection lost: page ${current.id} (${code})`);
    emit('disconnect', { page: current.id, code });
  }

  /**
   * A transport reached the server: `connect` if it was lost; and if the link has `proven`
   * itself, the backoff starts over.
   * @param {PageHandle} current @param {boolean} [proven]
   */
  function reportLinkRestored(current, proven = true) {
    if (proven) reportLinkProven();
    if (linkUp || page !== current) return;
    linkUp = true;
    log('info', `connection restored: page ${current.id}, mode ${mode}`);
    emit('connect', { page: current.id, mode });
  }

  /**
   * A connection proved itself (an answer, or a stream or socket open a while): the backoff starts
   * over. Fires no `connect`: a stream's timer proves nothing after the browser went `offline`.
   */
  function reportLinkProven() {
    failures = 0;
    renewedInVain = false;
  }

  /** The next wait before reconnecting: RECONNECT_DELAYS with jitter. @returns {number} ms */
  function nextReconnectDelay() {
    const base = RECONNECT_DELAYS[Math.min(failures, RECONNECT_DELAYS.length - 1)];
    failures++;
    return Math.round(base * (1 + RECONNECT_JITTER * (2 * config.random() - 1)));
  }

  /**
   * One `POST poll` for a transport, which passes a good reply's payload to its `onReceive`.
   * @param {PageHandle} current @param {{ack: number, hold?: boolean}} body
   * @param {AbortSignal | undefined} signal @param {() => boolean} isStopped
   * @returns {Promise<PollResult>}
   */
  async function pollOnce(current, body, signal, isStopped) {
    noteAckSent(body.ack);
    let reply;
    try {
      reply = await postJson('/poll', JSON.stringify(body), pageHeaders(current), signal);
    } catch {
      if (isStopped()) return { status: 'stop' };
      reportLinkLost(current, 'NETWORK');
      return { status: 'retry' };
    }
    if (isStopped()) return { status: 'stop' };
    const payload = reply.payload;
    if (reply.ok && payload && Array.isArray(payload.updates)) return { status: 'ok', payload };
    const status = handleRefusal(current, reply);
    if (status === 'retry') reportLinkLost(current, 'NETWORK');
    return { status };
  }

  /**
   * A transport's request was refused. Page gone: renew it. Server trouble (5xx, a body
   * that is not ours): retry later. Anything else (MODE_NOT_ALLOWED, BAD_TOKEN, ...) would
   * be refused again: report it and fall back to passive.
   * @param {PageHandle} current @param {{status: number, payload: any}} reply @returns {'retry' | 'stop'}
   */
  function handleRefusal(current, reply) {
    const fault = describeRefusal(reply);
    if (page !== current) return 'stop';
    if (fault.code === 'PAGE_UNKNOWN') {
      recoverPage(current);
      return 'stop';
    }
    if (reply.status >= 500 || reply.status === 408 || reply.status === 429 || fault.code === 'NETWORK') return 'retry';
    reportProblem(createError(fault));
    endAuto();
    switchMode('passive', {}, 'refused');
    return 'stop';
  }

  /** Whether this browser can run `which`: SSE needs EventSource, websocket WebSocket. @param {Mode} which */
  function supports(which) {
    if (which === 'sse') return typeof config.EventSource() === 'function';
    if (which === 'websocket') return typeof config.WebSocket() === 'function';
    return true;
  }

  /**
   * Starts the page's choice: a mode, or `auto`, which picks one itself (reason `auto`).
   * @param {ModeChoice & {mode: ModeName}} choice
   */
  function applyChoice(choice) {
    endAuto();
    if (choice.mode !== 'auto') {
      switchMode(choice.mode, choice.options);
      return;
    }
    const own = { options: choice.options, timer: /** @type {unknown} */ (null), slotWaits: new Map() };
    auto = own;
    switchMode(autoPick(/** @type {PageHandle} */ (page).delivery), choice.options, 'auto');
    if (auto === own) scheduleUpgrade(); // unless a `mode` listener chose again
  }

  /**
   * A transport gave up on its mode (the server asked for polling at its held-request cap).
   * Under `auto`, the held modes are tried again after AUTO_SLOT_RETRY (or `upgradeAfter`), so
   * the page moves back up when a slot frees.
   * @param {{mode: Mode, reason: string}} next
   */
  function transportClosed(next) {
    if (auto && next.reason === 'fallback') {
      const at = config.now() + (auto.options.upgradeAfter ?? AUTO_SLOT_RETRY);
      for (const held of /** @type {Mode[]} */ (['sse', 'comet'])) auto.slotWaits.set(held, at);
    }
    switchMode(next.mode, auto ? auto.options : {}, next.reason);
    scheduleUpgrade();
  }

  // ---- Auto: the engine's choice of mode ----
  //
  // Under `auto` the page uses the best mode of AUTO_LADDER that the server allows, the browser
  // supports and the tab has not seen fail lately. A transport reports a failure (`host.failed`)
  // only when its connection did not work while a plain request to the server did: a refused
  // WebSocket upgrade, or a stream or held poll that brought nothing at all within its watchdog
  // time (a buffering proxy). Then the page moves down, and the failure is remembered in the
  // tab's sessionStorage (it survives reloads, not the tab) until a try again, after
  // AUTO_RETRY_FIRST, doubled at each failure in a row. Nothing is lost by a switch: the next
  // transport starts from the page's cursor and the server sends every update above it.

  /** @param {Delivery} delivery @returns {Mode[]} the modes auto may use here, best first */
  function autoLadder(delivery) {
    return AUTO_LADDER.filter((m) => delivery.allowed.includes(m) && supports(m));
  }

  /** @param {Delivery} delivery @returns {Mode} the best mode not waiting to be tried again (the last one anyway), or passive */
  function autoPick(delivery) {
    const ladder = autoLadder(delivery);
    const now = config.now();
    return ladder.find((m) => autoReadyAt(m) <= now) ?? ladder.at(-1) ?? 'passive';
  }

  /** @param {Mode} which @returns {number} when `which` may be tried (again): 0 unless it failed or hit the cap lately */
  function autoReadyAt(which) {
    const failed = readAutoMemory()[which];
    const slot = auto ? auto.slotWaits.get(which) ?? 0 : 0;
    return Math.max(failed ? failed.until : 0, slot);
  }

  /**
   * A transport's connection failed while plain requests worked (`host.failed`): under `auto`,
   * remember it and move down. A failure within the try's detection window after the last wait
   * ended counts as one more in a row; later, the count starts over.
   * @param {PageHandle} current @param {Mode} which @param {string} reason  `failed` or `silent`
   */
  function autoFailed(current, which, reason) {
    if (!auto || page !== current || mode !== which) return;
    const memory = readAutoMemory();
    const now = config.now();
    const last = memory[which];
    const window = 2 * (current.delivery.heartbeatMillis + WATCHDOG_GRACE);
    const strikes = last && now - last.until < window ? last.strikes + 1 : 1;
    const first = auto.options.upgradeAfter ?? AUTO_RETRY_FIRST;
    const wait = Math.min(first * 2 ** Math.min(strikes - 1, 20), Math.max(first, AUTO_RETRY_MAX));
    memory[which] = { until: now + wait, strikes };
    writeAutoMemory(memory);
    log('warn', `auto: ${which} failed (${reason}) on page ${current.id}; tried again in ${Math.round(wait / 1000)} s`);
    switchMode(autoPick(current.delivery), auto.options, reason);
    scheduleUpgrade();
  }

  /** Under `auto` below its best mode: a timer to try the better modes again when their wait ends. */
  function scheduleUpgrade() {
    const state = auto;
    if (!state) return;
    if (state.timer !== null) config.clearTimeout(state.timer);
    state.timer = null;
    if (!page) return;
    const ladder = autoLadder(page.delivery);
    const index = ladder.indexOf(/** @type {Mode} */ (mode));
    const better = index < 0 ? [] : ladder.slice(0, index);
    if (!better.length) return;
    const at = Math.min(...better.map(autoReadyAt));
    state.timer = config.setTimeout(() => {
      state.timer = null;
      if (auto !== state || !page || !deliveryReady) return;
      const best = autoPick(page.delivery);
      if (best !== mode && ladder.indexOf(best) < ladder.indexOf(/** @type {Mode} */ (mode))) switchMode(best, state.options, 'upgrade');
      scheduleUpgrade();
    }, Math.max(1000, at - config.now()));
  }

  /** Leaves `auto` (another choice, a refusal, the page going away): no more upgrades. */
  function endAuto() {
    if (auto && auto.timer !== null) config.clearTimeout(auto.timer);
    auto = null;
  }

  /** @returns {AutoMemory} the modes that failed in this tab and when they may be tried again */
  function readAutoMemory() {
    if (autoMemory) return autoMemory;
    autoMemory = {};
    try {
      const stored = config.sessionStorage()?.getItem(AUTO_MEMORY_KEY);
      const parsed = stored ? JSON.parse(stored) : null;
      for (const m of AUTO_LADDER) {
        const entry = parsed && parsed[m];
        if (entry && Number.isFinite(entry.until) && Number.isInteger(entry.strikes)) autoMemory[m] = { until: entry.until, strikes: entry.strikes };
      }
    } catch {
      // no storage, or not ours: remember in this page only
    }
    return autoMemory;
  }

  /** @param {AutoMemory} memory */
  function writeAutoMemory(memory) {
    autoMemory = memory;
    try {
      config.sessionStorage()?.setItem(AUTO_MEMORY_KEY, JSON.stringify(memory));
    } catch {
      // full or forbidden: this page still remembers
    }
  }

  // ---- Page lifecycle ----

  function listenToPageLifecycle() {
    const target = config.window;
    if (!target || typeof target.addEventListener !== 'function') return;
    target.addEventListener('pagehide', leavePage);
    target.addEventListener('pageshow', (/** @type {PageTransitionEvent} */ event) => { if (event.persisted) restorePage(); });
  }

  /**
   * The browser's `offline` and `online` events: offline, `disconnect` at once; online, a
   * transport that lost the server (or the page's recovery) starts over at once rather than
   * waiting out its backoff, which also starts over. A connection that still works is kept.
   */
  function listenToNetwork() {
    const target = config.window;
    if (!target || typeof target.addEventListener !== 'function') return;
    target.addEventListener('offline', () => { if (page && mode !== 'passive') reportLinkLost(page, 'NETWORK'); });
    target.addEventListener('online', reconnectNow);
  }

  function reconnectNow() {
    failures = 0;
    if (pageGone) return;
    if (recoveryTimer !== null) {
      config.clearTimeout(recoveryTimer);
      recoveryTimer = null;
      log('info', 'online again: renewing the page now');
      renewNow(page);
    } else if (page && deliveryReady && transport && !linkUp) {
      log('info', `online again: reconnecting ${mode} now`);
      startTransport(mode, transportOptions);
    }
  }

  /** The page is going away (or into the back-forward cache): stop, and end it on the server now. */
  function leavePage() {
    pageGone = true;
    endAuto();
    stopTransport();
    if (recoveryTimer !== null) config.clearTimeout(recoveryTimer);
    recoveryTimer = null;
    const ending = page;
    if (!ending) return;
    page = null;
    deliveryReady = false;
    linkUp = false;
    log('info', `page ${ending.id} ended: the page is hidden or unloading`);
    sendUnloadBeacon(ending);
  }

  /** A string body: beacons send it as text/plain, which needs no CORS preflight. @param {PageHandle} ending */
  function sendUnloadBeacon(ending) {
    try {
      config.sendBeacon(`${config.base}/unload`, JSON.stringify({ page: ending.id, token: ending.token }));
    } catch {
      // No beacons here, or refused: the server's expiry ends the page.
    }
  }

  /** Back from the back-forward cache: the old page was ended at pagehide. */
  function restorePage() {
    pageGone = false;
    if (page) {
      stopTransport();
      page = null;
    }
    resyncReason = 'restored';
    ensurePage().catch(reportProblem);
  }

  // ---- Events ----

  /** @param {string} event @param {any} detail */
  function emit(event, detail) {
    const set = listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) invokeSafely(fn, detail);
  }

  /**
   * Updates were lost: the page must reload what depends on them.
   * @param {string | null} pageId @param {string} reason  overflow, lost or restored
   */
  function announceResync(pageId, reason) {
    log(reason === 'overflow' ? 'warn' : 'info', `resync: page ${pageId} (${reason})`);
    emit('resync', { page: pageId, reason });
  }

  /** Tells the logger, if any; a logger that throws never breaks the engine. @param {LogLevel} level @param {string} message */
  function log(level, message) {
    const current = logger;
    if (current) invokeSafely(() => current.log(level, message));
  }

  /** A failure no promise reports: an `error` event, or the console when nobody listens. */
  function reportProblem(/** @type {any} */ error) {
    const set = listeners.get('error');
    if (set && set.size) emit('error', error);
    else reportUncaught(error);
  }

  // ---- Small helpers ----

  /** Runs page code so that its exceptions are reported but never break the engine. */
  function invokeSafely(/** @type {Function} */ fn, /** @type {any[]} */ ...args) {
    try {
      fn(...args);
    } catch (error) {
      reportUncaught(error);
    }
  }

  /** @param {unknown} error */
  function reportUncaught(error) {
    if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
    else console.error(error);
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

  /** @param {unknown} value  for messages: short, and never throws */
  function safeJson(value) {
    try {
      return String(JSON.stringify(value)).slice(0, 100);
    } catch {
      return String(value);
    }
  }

  /** @param {unknown} condition @param {string} message @returns {asserts condition} */
  function requireThat(condition, message) {
    if (!condition) throw new TypeError(message);
  }

  function ignore() {}
}

// ---- Transports ----
//
// Each active delivery mode is one transport: a factory `(host, options) => Transport` makes it
// for one page. It gets what it may use of the engine as one `TransportHost` and nothing else
// (the factories live outside createPagewire, so tsc checks that), and implements the `Transport`
// contract: start, stop, send, onReceive, onClose (SignalR's ITransport made small).

/** A hidden tab polls this many times slower, but at least once per HIDDEN_MAX_INTERVAL ms. */
const HIDDEN_SLOWDOWN = 4;
const HIDDEN_MAX_INTERVAL = 60000;
/** A held poll still unanswered, or a stream or socket silent, this long after its expected time is taken as a dead connection. */
const WATCHDOG_GRACE = 10000;
/** A stream open this long (ms) has proven itself: the backoff starts over, and a cut is retried at once. */
const STREAM_PROVEN_AFTER = 5000;
/** A socket page makes an HTTP request at least this often (ms), so that its HTTP session does not expire. */
const SESSION_REFRESH_MILLIS = 5 * 60 * 1000;

/**
 * The members every transport shares: `send` carries nothing (calls and acks go by POST) unless
 * the transport replaces it; `onReceive` and `onClose` are the engine's to set before `start`.
 * @param {() => void} start @param {() => void} stop @returns {Transport}
 */
function createTransportObject(start, stop) {
  return { start, stop, send: () => null, onReceive: () => {}, onClose: () => {} };
}

/** @param {Document | undefined} doc */
function isHidden(doc) {
  return Boolean(doc) && /** @type {Document} */ (doc).visibilityState === 'hidden';
}

/**
 * Polling: `POST poll {"ack": n}`, again `interval` ms after each reply; slower while the tab is
 * hidden, at once when it shows again.
 * @param {TransportHost} host @param {ModeOptions} modeOptions @returns {Transport}
 */
function createPollingTransport(host, modeOptions) {
  const { config } = host;
  const interval = modeOptions.interval ?? host.page.delivery.pollMillis;
  const doc = config.document();
  let stopped = false;
  /** @type {unknown} */ let timer = null;
  /** @type {AbortController | null} */ let inFlight = null;
  const onVisibilityChange = () => { if (!isHidden(doc) && !inFlight) void poll(); };
  const self = createTransportObject(() => {
    if (doc) doc.addEventListener('visibilitychange', onVisibilityChange);
    void poll();
  }, () => {
    stopped = true;
    if (doc) doc.removeEventListener('visibilitychange', onVisibilityChange);
    if (timer !== null) config.clearTimeout(timer);
    if (inFlight) inFlight.abort();
  });
  return self;

  async function poll() {
    if (timer !== null) config.clearTimeout(timer);
    timer = null;
    const controller = new AbortController();
    inFlight = controller;
    const { status, payload } = await host.poll({ ack: host.cursor() }, controller.signal, () => stopped);
    inFlight = null;
    if (status === 'stop') return;
    if (status === 'ok') {
      self.onReceive(payload);
      if (stopped) return; // a handler switched the mode
      host.linkRestored();
    }
    if (stopped) return; // a `connect` listener switched the mode
    timer = config.setTimeout(() => { timer = null; void poll(); }, status === 'ok' ? pause() : host.nextDelay());
  }

  function pause() {
    return isHidden(doc) ? Math.max(interval, Math.min(interval * HIDDEN_SLOWDOWN, HIDDEN_MAX_INTERVAL)) : interval;
  }
}

/**
 * Comet: `POST poll {"ack": n, "hold": true}`, again as soon as each reply arrives. A watchdog
 * aborts a poll unanswered after `holdMillis` plus a grace: a half-open connection (a sleeping
 * laptop, a proxy that dropped it) would otherwise wait forever.
 * @param {TransportHost} host @returns {Transport}
 */
function createCometTransport(host) {
  const { config } = host;
  let stopped = false;
  let answered = false; // a held poll of this transport was answered
  /** @type {unknown} */ let timer = null; // the wait before reconnecting, or the watchdog
  /** @type {AbortController | null} */ let inFlight = null;
  const self = createTransportObject(() => { void poll(); }, () => {
    stopped = true;
    if (timer !== null) config.clearTimeout(timer);
    if (inFlight) inFlight.abort();
  });
  return self;

  async function poll() {
    const controller = new AbortController();
    inFlight = controller;
    let silent = false;
    timer = config.setTimeout(() => { silent = true; controller.abort(); }, host.page.delivery.holdMillis + WATCHDOG_GRACE);
    const { status, payload } = await host.poll({ ack: host.cursor(), hold: true }, controller.signal, () => stopped);
    config.clearTimeout(timer);
    timer = null;
    inFlight = null;
    if (status === 'stop') return;
    if (status === 'retry') {
      // Never answered, not even after its hold: something between holds the replies back.
      if (silent && !answered) host.failed('silent'); // under auto: moves down, stopping this transport
      if (!stopped) timer = config.setTimeout(() => { timer = null; void poll(); }, host.nextDelay());
      return;
    }
    answered = true;
    self.onReceive(payload);
    if (stopped) return; // a handler switched the mode
    host.linkRestored();
    if (stopped) return; // a `connect` listener switched the mode
    // Too many held requests from this browser: the server asks this page to poll instead.
    if (payload.fallback === 'polling') self.onClose({ mode: 'polling', reason: 'fallback' });
    else void poll();
  }
}

/**
 * SSE: `GET stream?page=&token=&ack=` with EventSource, one update per `message` event,
 * acknowledged later (`host.ackLater`). EventSource's own reconnect is not used: it cannot tell a
 * lost page from a lost network, and it keeps its own pace, not our backoff. On an error the
 * stream is closed and a plain poll probes the page; it brings the missed updates too. The
 * stream reopens at once only if it had been open a while: one cut at once waits like any
 * network failure. EventSource hides HTTP statuses, so the server reports a refused stream as a
 * `refused` event carrying the status and error. A watchdog takes a stream that brings neither an
 * update nor an `hb` event for `heartbeatMillis` plus a grace for a dead (half-open) connection.
 * @param {TransportHost} host @returns {Transport}
 */
function createStreamTransport(host) {
  const { config, page: current } = host;
  let stopped = false;
  /** @type {EventSource | null} */ let source = null;
  /** @type {unknown} */ let timer = null; // the wait to reopen or probe, or until the open stream is proven
  /** @type {unknown} */ let watchdog = null;
  const self = createTransportObject(open, () => {
    stopped = true;
    close();
  });
  return self;

  function open() {
    timer = null;
    const EventSourceClass = /** @type {typeof EventSource} */ (config.EventSource());
    const own = new EventSourceClass(`${config.base}/stream?page=${encodeURIComponent(current.id)}`
      + `&token=${encodeURIComponent(current.token)}&ack=${host.cursor()}`,
    config.crossOrigin ? { withCredentials: true } : undefined);
    source = own;
    let proven = false;
    let opened = false; // the response's headers came
    let heard = false; // an event came
    const mine = () => !stopped && source === own;
    const alive = () => {
      if (watchdog !== null) config.clearTimeout(watchdog);
      watchdog = config.setTimeout(() => { watchdog = null; if (mine()) fail(proven, heard ? null : 'silent'); },
        current.delivery.heartbeatMillis + WATCHDOG_GRACE);
    };
    alive();
    own.addEventListener('open', () => {
      if (!mine()) return;
      opened = true;
      alive();
      host.linkRestored(false);
      timer = config.setTimeout(() => { proven = true; host.linkProven(); }, STREAM_PROVEN_AFTER);
    });
    own.addEventListener('message', (event) => { if (mine()) { heard = true; alive(); receive(/** @type {MessageEvent} */ (event).data); } });
    own.addEventListener('hb', (event) => { if (mine()) { heard = true; alive(); heartbeat(/** @type {MessageEvent} */ (event).data); } });
    own.addEventListener('fallback', () => { if (mine()) self.onClose({ mode: 'polling', reason: 'fallback' }); });
    own.addEventListener('refused', (event) => { if (mine()) refused(/** @type {MessageEvent} */ (event).data); });
    own.addEventListener('error', () => { if (mine()) fail(proven, opened || heard ? null : 'failed'); });
  }

  /** @param {unknown} data  `{"status": 403, "error": {"code": ..., "message": ...}}` */
  function refused(data) {
    close();
    const payload = parseJson(data);
    const status = payload && Number.isInteger(payload.status) ? payload.status : 500;
    if (host.refused({ status, payload }) === 'retry') {
      host.linkLost('NETWORK');
      timer = config.setTimeout(open, host.nextDelay());
    }
  }

  /** @param {unknown} data  one update as JSON */
  function receive(data) {
    const update = parseJson(data);
    if (update === undefined) {
      host.reportProblem(host.createError({ code: 'UPDATE_FAILED', message: `Malformed update: ${String(data).slice(0, 100)}` }));
      return;
    }
    self.onReceive({ updates: [update] });
    if (!stopped) host.ackLater();
  }

  /** @param {unknown} data  `{}`, or `{"upTo": n}` from a server whose numbers are not consecutive */
  function heartbeat(data) {
    const payload = parseJson(data);
    if (payload) self.onReceive({ upTo: payload.upTo });
  }

  /**
   * @param {boolean} proven  whether it had been open a while
   * @param {'failed' | 'silent' | null} failure  what to report (`host.failed`) if the probe works
   */
  function fail(proven, failure) {
    close();
    host.linkLost('NETWORK');
    void probeThenReopen(host, self, () => stopped, proven, open, (handle) => { timer = handle; }, failure);
  }

  function close() {
    if (source) source.close();
    source = null;
    if (timer !== null) config.clearTimeout(timer);
    timer = null;
    if (watchdog !== null) config.clearTimeout(watchdog);
    watchdog = null;
  }
}

/**
 * After a stream, socket or held poll failed: a plain poll probes the page (renewing it if the
 * server lost it) and brings the updates missed meanwhile; then the connection opens again, at
 * once if it had proven itself, else after the backoff. A `failure` (the connection never
 * worked) is reported only when the probe works: then the fault is the mode's, not the network's.
 * @param {TransportHost} host @param {Transport} self @param {() => boolean} isStopped
 * @param {boolean} reopenAtOnce @param {() => void} reopen @param {(handle: unknown) => void} setTimer  the wait, for stop()
 * @param {'failed' | 'silent' | null} [failure]
 */
async function probeThenReopen(host, self, isStopped, reopenAtOnce, reopen, setTimer, failure = null) {
  const { config } = host;
  setTimer(null);
  const { status, payload } = await host.poll({ ack: host.cursor() }, undefined, isStopped);
  if (status === 'stop') return;
  if (status === 'ok') {
    self.onReceive(payload);
    if (isStopped()) return;
    if (failure) host.failed(failure); // under auto: moves down, stopping this transport
    if (isStopped()) return;
  }
  if (status === 'retry') {
    setTimer(config.setTimeout(() => void probeThenReopen(host, self, isStopped, reopenAtOnce, reopen, setTimer, failure), host.nextDelay()));
  } else if (reopenAtOnce) {
    reopen();
  } else {
    setTimer(config.setTimeout(reopen, host.nextDelay()));
  }
}

/**
 * A socket's `updates` frame (applied, then acknowledged within `ackDelayMillis`) or `hb` frame
 * (its `upTo`), for `self`'s page; false for any other frame.
 * @param {TransportHost} host @param {Transport} self @param {any} frame @param {() => boolean} isStopped
 */
function receiveDelivery(host, self, frame, isStopped) {
  const type = frame && frame.type;
  if (type === 'updates') {
    self.onReceive(frame);
    if (!isStopped()) host.ackLater();
    return true;
  }
  if (type === 'hb') {
    self.onReceive({ upTo: frame.upTo });
    return true;
  }
  return false;
}

/**
 * WebSocket: one socket, `{base}/socket` on the page's own host (`ws:` or `wss:`), carries the
 * updates, the calls and their replies, the acks and heartbeats both ways (docs/PROTOCOL.md,
 * WebSocket). A browser cannot set headers on a WebSocket and a URL gets logged, so the page id
 * and token travel in the first frame, `hello`, with the cursor; the server answers `open` and
 * sends every update above it. Calls go over the socket only while it is open (`send` returns
 * null otherwise, and the engine POSTs them): a batch written to a socket that then closes may
 * have run, so its calls fail with `NETWORK` rather than being sent again. A closed socket is
 * handled as a failed stream: a plain poll probes the page, then the socket reopens. A watchdog
 * takes a socket that brings nothing for `heartbeatMillis` plus a grace for a dead connection.
 * A leader tab's socket also carries the pages of other tabs (`carried`, section Tab sharing):
 * frames naming a page go to it, and it may send while the socket is open.
 * @param {TransportHost} host @param {TabRelay} [carried] @returns {Transport}
 */
function createSocketTransport(host, carried) {
  const { config, page: current } = host;
  let stopped = false;
  /** @type {WebSocket | null} */ let socket = null;
  let opened = false; // the server answered the hello
  /** @type {unknown} */ let timer = null; // the wait to reopen or probe, or until the open socket is proven
  /** @type {unknown} */ let watchdog = null;
  /** @type {unknown} */ let beat = null;
  let nextBatch = 1;
  let beats = 0;
  /** @type {Map<number, (outcome: Outcome) => void>} */ const waiting = new Map();
  const self = createTransportObject(open, () => {
    stopped = true;
    close('the delivery mode changed');
  });
  self.send = send;
  return self;

  function open() {
    timer = null;
    const SocketClass = /** @type {typeof WebSocket} */ (config.WebSocket());
    const here = globalThis.location ? globalThis.location.href : 'http://localhost/';
    const url = new URL(`${config.base}/socket`, here);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const own = new SocketClass(url.href);
    socket = own;
    opened = false;
    let proven = false;
    let answered = false; // the server answered this socket's hello
    const mine = () => !stopped && socket === own;
    own.addEventListener('open', () => {
      if (!mine()) return;
      alive();
      own.send(JSON.stringify({ type: 'hello', page: current.id, token: current.token, ack: host.cursor() }));
    });
    own.addEventListener('message', (event) => {
      if (!mine()) return;
      alive();
      const frame = parseJson(/** @type {MessageEvent} */ (event).data);
      if (frame && frame.type === 'open') {
        opened = answered = true;
        host.linkRestored(false);
        timer = config.setTimeout(() => { proven = true; host.linkProven(); }, STREAM_PROVEN_AFTER);
        sendBeat();
        if (carried) carried.opened((text) => { if (socket === own && opened) trySend(own, text); });
      } else if (carried && frame && typeof frame.page === 'string') {
        carried.receive(frame);
      } else {
        receive(frame);
      }
    });
    own.addEventListener('close', () => { if (mine()) fail(proven, answered ? null : 'failed'); });
    alive();
  }

  /** @param {any} frame */
  function receive(frame) {
    if (receiveDelivery(host, self, frame, () => stopped)) return;
    const type = frame && frame.type;
    if (type === 'replies') {
      settle(frame);
    } else if (type === 'refused') {
      refused(frame);
    } else {
      host.reportProblem(host.createError({ code: 'UPDATE_FAILED', message: `Malformed frame: ${String(type)}` }));
    }
  }

  /** @param {TransportMessage} message @returns {Promise<Outcome> | null} */
  function send(message) {
    if (!opened || !socket || socket.readyState !== 1) return null;
    const calls = message.calls;
    const batch = calls ? nextBatch++ : 0;
    const frame = calls
      ? `{"type":"call","batch":${batch},"ack":${message.ack},"calls":[${calls.map((call) => call.wire).join(',')}]}`
      : JSON.stringify({ type: 'ack', ack: message.ack });
    try {
      socket.send(frame);
    } catch {
      return null; // not written: the engine POSTs instead
    }
    if (!calls) return Promise.resolve({});
    return new Promise((resolve) => { waiting.set(batch, resolve); });
  }

  /** @param {any} frame  `{"type": "replies", "batch": n, "replies": [...]}`, or a refused batch's `status` and `error` */
  function settle(frame) {
    const resolve = waiting.get(frame.batch);
    if (!resolve) return;
    waiting.delete(frame.batch);
    if (Array.isArray(frame.replies)) {
      resolve({ replies: frame.replies, time: frame.time });
    } else {
      const error = frame.error && typeof frame.error.code === 'string' ? frame.error : { code: 'NETWORK', message: 'Malformed reply frame' };
      resolve({ fault: { code: error.code, message: String(error.message ?? error.code) } });
    }
  }

  /** @param {any} frame  `{"type": "refused", "status": 403, "error": {...}}`: the hello was refused */
  function refused(frame) {
    close('refused');
    const status = Number.isInteger(frame.status) ? frame.status : 500;
    if (host.refused({ status, payload: frame }) === 'retry') {
      host.linkLost('NETWORK');
      timer = config.setTimeout(open, host.nextDelay());
    }
  }

  /**
   * @param {boolean} proven  whether it had been open a while
   * @param {'failed' | null} failure  `failed` when the hello was never answered (an upgrade refused on the way)
   */
  function fail(proven, failure) {
    close('the connection closed');
    host.linkLost('NETWORK');
    void probeThenReopen(host, self, () => stopped, proven, open, (handle) => { timer = handle; }, failure);
  }

  /**
   * Heartbeats from the page: the server takes a silent socket for a dead one. Every
   * SESSION_REFRESH_MILLIS one goes as a plain `POST poll` instead: socket traffic does not count
   * as use of the HTTP session, which would otherwise expire, and the page with it.
   */
  function sendBeat() {
    const refreshEvery = Math.max(1, Math.floor(SESSION_REFRESH_MILLIS / current.delivery.heartbeatMillis));
    beat = config.setTimeout(() => {
      beat = null;
      if (!socket || !opened) return;
      beats++;
      if (beats % refreshEvery === 0) void refreshHttpSession();
      try {
        socket.send('{"type":"hb"}');
      } catch {
        return; // closing: the close event follows
      }
      sendBeat();
    }, current.delivery.heartbeatMillis);
  }

  async function refreshHttpSession() {
    const { status, payload } = await host.poll({ ack: host.cursor() }, undefined, () => stopped);
    if (status === 'ok') self.onReceive(payload);
  }

  function alive() {
    if (watchdog !== null) config.clearTimeout(watchdog);
    const own = socket;
    watchdog = config.setTimeout(() => { watchdog = null; if (!stopped && socket === own) fail(false, opened ? null : 'failed'); },
      current.delivery.heartbeatMillis + WATCHDOG_GRACE);
  }

  /** Closes the socket; the calls it carried without a reply fail, as they may have run. @param {string} why */
  function close(why) {
    const closing = socket;
    socket = null;
    opened = false;
    if (carried) carried.closed();
    if (closing) {
      try {
        closing.close(1000);
      } catch {
        // closed already
      }
    }
    for (const timerOf of [timer, watchdog, beat]) if (timerOf !== null) config.clearTimeout(timerOf);
    timer = watchdog = beat = null;
    const unanswered = [...waiting.values()];
    waiting.clear();
    const message = `The WebSocket closed (${why}) before the reply; the call may have run on the server`;
    for (const resolve of unanswered) resolve({ fault: { code: 'NETWORK', message } });
  }
}

// ---- Tab sharing ----
//
// Tabs of one origin and mount that deliver by websocket share one socket (docs/PROTOCOL.md, Tabs
// sharing one connection). A Web Lock, held for as long as a tab leads, elects the leader: it holds
// the socket and asks the server to carry every other tab's page on it (`attach`). The tabs talk
// over a BroadcastChannel of the same name: followers send their page, token and cursor, and
// their acks; the leader relays each carried page's frames to its tab. Every tab keeps its own
// page, numbering and cursor, so a new leader attaches each page from its own cursor: nothing is
// lost, and numbers applied already are dropped as after any reconnect. A tab stops leading when
// it closes, hides in the back-forward cache or is frozen (the lock is released, and the next tab
// in the lock's queue leads). Calls stay each tab's own (`POST call`; the leader's on its socket).
// Each sharing tab also holds a lock named after its page for as long as it lives, which the
// browser releases when the tab goes, even by a crash: every `heartbeatMillis` the leader detaches
// the pages whose lock is gone, rather than keep a dead tab's page alive on its socket.

/**
 * Whether this browser lets tabs share: Web Locks and BroadcastChannel.
 * @param {Config} config
 */
function canShareTabs(config) {
  const locks = config.locks();
  return Boolean(locks && typeof locks.request === 'function') && typeof config.BroadcastChannel() === 'function';
}

/**
 * WebSocket delivery shared by the tabs of the origin: this tab leads (and runs a socket
 * transport that carries the others) or follows (and gets its frames from the leader).
 * `onRole` hears each change of role.
 *
 * Messages on the channel: `{t: "leader"}` (a tab leads now: followers attach again), `{t:
 * "attach", page, token, ack}`, `{t: "ack", page, ack}` and `{t: "detach", page}` from followers,
 * `{t: "frame", page, frame}` from the leader (a frame of that page, as the server tagged it), and
 * `{t: "down"}` when the leader's socket closed (followers fire `disconnect`; `connect` follows
 * when their page is attached again).
 * @param {TransportHost} host @param {(role: TabRole | null) => void} onRole @returns {Transport}
 */
function createSharedSocketTransport(host, onRole) {
  const { config, page: current } = host;
  const name = `pagewire-tabs ${config.base}`;
  const locks = /** @type {LockManager} */ (config.locks()); // there: canShareTabs
  let stopped = false;
  let solo = false; // the server would not carry this page on another's socket: it has its own
  /** @type {TabRole | null} */ let role = null;
  /** @type {BroadcastChannel | null} */ let channel = null;
  /** @type {Transport | null} */ let socket = null; // the leader's
  /** @type {((value?: unknown) => void) | null} */ let release = null; // ends the held lock
  /** @type {AbortController | null} */ let queued = null; // the wait for the lock
  /** @type {unknown} */ let retry = null; // a follower's next attach after a detach
  /** @type {unknown} */ let census = null; // the leader's next check of which carried tabs live
  /** @type {((value?: unknown) => void) | null} */ let releaseTab = null; // ends the lock that says this tab lives
  /** @type {Map<string, {token: string, ack: number}>} */ const carried = new Map(); // by page id, the leader's
  /** @type {((text: string) => void) | null} */ let sendFrame = null; // while the leader's socket is open
  const doc = config.document();
  const onFreeze = () => { if (!stopped && !solo) resign(); };
  const onResume = () => { if (!stopped && !solo && role === null) join(); };
  const self = createTransportObject(() => {
    const Channel = /** @type {typeof BroadcastChannel} */ (config.BroadcastChannel());
    channel = new Channel(name);
    channel.addEventListener('message', (event) => { if (!stopped) heard(/** @type {MessageEvent} */ (event).data); });
    if (doc) doc.addEventListener('freeze', onFreeze);
    if (doc) doc.addEventListener('resume', onResume);
    // The page's own lock first: a leader never sees this page's attach before the lock is held.
    locks.request(`${name} ${current.id}`, () => {
      if (stopped) return undefined;
      join();
      return new Promise((resolve) => { releaseTab = resolve; });
    }).catch(ignoreLockError);
  }, () => {
    stopped = true;
    if (role === 'follower') post({ t: 'detach', page: current.id });
    resign();
    if (releaseTab) releaseTab();
    if (doc) doc.removeEventListener('freeze', onFreeze);
    if (doc) doc.removeEventListener('resume', onResume);
    if (channel) channel.close();
  });
  self.send = (message) => {
    if (socket) return socket.send(message);
    if (role !== 'follower' || message.calls) return null; // calls go by POST
    post({ t: 'ack', page: current.id, ack: message.ack });
    return Promise.resolve({});
  };
  return self;

  /** Leads at once if no tab does, else follows and waits in the lock's queue. */
  function join() {
    locks.request(name, { ifAvailable: true }, (lock) => {
      if (stopped) return undefined;
      if (lock) return lead();
      follow();
      waitToLead();
      return undefined;
    }).catch(ignoreLockError);
  }

  function waitToLead() {
    const wait = new AbortController();
    queued = wait;
    locks.request(name, { signal: wait.signal }, () => { queued = null; return lead(); }).catch(ignoreLockError);
  }

  /** @returns {Promise<unknown> | undefined} held until this tab stops leading */
  function lead() {
    if (stopped) return undefined;
    clearRetry();
    const made = createSocketTransport(host, { opened, receive: relay, closed: lostSocket });
    made.onReceive = (delivered) => self.onReceive(delivered);
    made.onClose = (next) => self.onClose(next);
    socket = made;
    changeRole('leader');
    post({ t: 'leader' });
    made.start();
    census = config.setTimeout(dropGoneTabs, current.delivery.heartbeatMillis);
    return new Promise((resolve) => { release = resolve; });
  }

  function follow() {
    changeRole('follower');
    attach();
  }

  /** Stops leading or following: the socket closes and the lock goes to the next tab. */
  function resign() {
    clearRetry();
    if (census !== null) config.clearTimeout(census);
    census = null;
    if (queued) queued.abort();
    queued = null;
    const leading = socket;
    socket = null;
    sendFrame = null;
    carried.clear();
    if (leading) leading.stop();
    if (release) release();
    release = null;
    changeRole(null);
  }

  /** @param {TabRole | null} next */
  function changeRole(next) {
    if (role === next) return;
    role = next;
    onRole(next);
  }

  /** @param {any} message */
  function heard(message) {
    if (!message || typeof message.t !== 'string') return;
    if (role === 'leader') heardAsLeader(message);
    else if (role === 'follower' && message.t === 'leader') attach();
    else if (role === 'follower' && message.t === 'down') host.linkLost('NETWORK');
    else if (role === 'follower' && message.t === 'frame' && message.page === current.id) receive(message.frame);
  }

  /** @param {any} message */
  function heardAsLeader(message) {
    const page = message.page;
    if (typeof page !== 'string' || page === current.id) return;
    if (message.t === 'attach' && typeof message.token === 'string' && Number.isSafeInteger(message.ack)) {
      carried.set(page, { token: message.token, ack: message.ack });
      sendAttach(page);
    } else if (message.t === 'ack' && carried.has(page) && Number.isSafeInteger(message.ack)) {
      /** @type {{token: string, ack: number}} */ (carried.get(page)).ack = message.ack;
      if (sendFrame) sendFrame(JSON.stringify({ type: 'ack', page, ack: message.ack }));
    } else if (message.t === 'detach' && carried.delete(page) && sendFrame) {
      sendFrame(JSON.stringify({ type: 'detach', page }));
    }
  }

  /** The leader's socket is open (again): attach every carried page from its last known cursor. @param {(text: string) => void} send */
  function opened(send) {
    sendFrame = send;
    for (const page of carried.keys()) sendAttach(page);
  }

  /** The leader detaches every carried page whose tab no longer holds its lock (closed or crashed). */
  function dropGoneTabs() {
    census = config.setTimeout(dropGoneTabs, current.delivery.heartbeatMillis);
    if (typeof locks.query !== 'function') return;
    locks.query().then((snapshot) => {
      const live = new Set((snapshot.held || []).map((lock) => lock.name));
      for (const page of [...carried.keys()]) {
        if (live.has(`${name} ${page}`) || socket === null) continue;
        carried.delete(page);
        if (sendFrame) sendFrame(JSON.stringify({ type: 'detach', page }));
      }
    }, ignoreLockError);
  }

  /** The leader's socket closed: the followers lose the server too, until their page is attached again. */
  function lostSocket() {
    sendFrame = null;
    post({ t: 'down' });
  }

  /** @param {string} page */
  function sendAttach(page) {
    const entry = carried.get(page);
    if (entry && sendFrame) sendFrame(JSON.stringify({ type: 'attach', page, token: entry.token, ack: entry.ack }));
  }

  /** A frame of a carried page: to its tab; a detached page attaches again from its tab. @param {any} frame */
  function relay(frame) {
    if (frame.type === 'detached') carried.delete(frame.page);
    post({ t: 'frame', page: frame.page, frame });
  }

  function attach() {
    clearRetry();
    post({ t: 'attach', page: current.id, token: current.token, ack: host.cursor() });
  }

  /** A frame the leader relayed, as the socket transport handles its own. @param {any} frame */
  function receive(frame) {
    if (receiveDelivery(host, self, frame, () => stopped)) return;
    const type = frame && frame.type;
    if (type === 'attached') {
      host.linkRestored();
    } else if (type === 'detached') {
      detached(frame);
    }
  }

  /**
   * The server no longer carries this page on the leader's socket: refused (handled as a refused
   * hello; with sharing off, this tab leaves the group and opens a socket of its own), or closed
   * (its writer was replaced or overflowed): attach again after the backoff.
   * @param {any} frame
   */
  function detached(frame) {
    const refusal = Number.isInteger(frame.status) ? frame : null;
    if (refusal && refusal.error && refusal.error.code === 'SHARING_OFF') {
      goSolo();
      return;
    }
    if (refusal && host.refused({ status: refusal.status, payload: refusal }) === 'stop') return;
    if (!stopped) retry = config.setTimeout(() => { retry = null; if (role === 'follower') attach(); }, host.nextDelay());
  }

  /** Leaves the group for good and opens a socket of this tab's own. */
  function goSolo() {
    resign();
    solo = true;
    const own = createSocketTransport(host);
    own.onReceive = (delivered) => self.onReceive(delivered);
    own.onClose = (next) => self.onClose(next);
    socket = own;
    own.start();
  }

  function clearRetry() {
    if (retry !== null) config.clearTimeout(retry);
    retry = null;
  }

  /** @param {object} message */
  function post(message) {
    try {
      if (channel) channel.postMessage(message);
    } catch {
      // closed: this tab is leaving
    }
  }
}

/** A lock request aborted (this tab stopped waiting) or refused: nothing to do. @param {unknown} error */
function ignoreLockError(error) {
  void error;
}

/** @param {WebSocket} socket @param {string} text */
function trySend(socket, text) {
  try {
    socket.send(text);
  } catch {
    // closing: the close event follows
  }
}

/**
 * The mount URL the engine calls: `base` as the server wrote it (a path such as "/pagewire"),
 * made absolute with the origin of the script that carried it when that script came from another
 * origin than the page (a page of another site that loads `<script src="https://api.example.com/pagewire/engine.js">`).
 * @param {string} base @param {string | undefined} script the engine script's own URL, if known
 * @param {{origin: string} | undefined} location the page's location
 * @returns {string}
 */
function mountUrl(base, script, location) {
  if (!script || !location || /^[a-z][a-z0-9+.-]*:/i.test(base)) return base;
  let from;
  try {
    from = new URL(script);
  } catch {
    return base;
  }
  return from.origin === location.origin ? base : from.origin + base;
}

/** @param {string} base @param {{origin: string} | undefined} location @returns {boolean} */
function isOtherOrigin(base, location) {
  if (!location || !/^[a-z][a-z0-9+.-]*:/i.test(base)) return false;
  try {
    return new URL(base).origin !== location.origin;
  } catch {
    return false;
  }
}

/**
 * Whether the topic `name` is one `pattern` means: `*` is one segment, a last `**` any depth
 * (at least one segment). Mirrors the server's `TopicPattern.matches`.
 * @param {string} pattern @param {string} name
 */
function topicMatches(pattern, name) {
  const want = pattern.split('/');
  const got = name.split('/');
  for (let i = 1; i < want.length; i++) {
    if (want[i] === '**') return got.length > i;
    if (i >= got.length || (want[i] !== '*' && want[i] !== got[i])) return false;
  }
  return want.length === got.length;
}

/** @param {unknown} data @returns {any} the parsed JSON, or undefined when it is not JSON */
function parseJson(data) {
  try {
    return JSON.parse(String(data));
  } catch {
    return undefined;
  }
}

// ---- Types (JSDoc, checked by tsc --checkJs) ----

/**
 * @typedef {object} PagewireOptions
 * @property {string} base  mount URL without trailing slash, e.g. "/pagewire", or an absolute URL
 *   of another origin (whose server lists this page's origin in `allowOrigins`: calls, polls and
 *   streams then carry credentials)
 * @property {string} [script]  the URL the engine script was loaded from: a path `base` is taken
 *   relative to its origin when that is not the page's (the served engine.js sets it)
 * @property {string} [path]  the page's URL path, sent in the handshake; default `location.pathname`
 * @property {string} [page]  deprecated: the old name of `path`, read when `path` is absent
 * @property {(url: string, init: RequestInit) => Promise<Response>} [fetch]  default `globalThis.fetch`
 * @property {(fn: () => void, ms: number) => unknown} [setTimeout]  injectable so tests control time
 * @property {(handle: any) => void} [clearTimeout]
 * @property {(fn: () => void) => void} [queueMicrotask]
 * @property {() => number} [random]  for the reconnect jitter; default `Math.random`
 * @property {() => number} [now]  the page's clock in ms since the epoch, for `serverTime()` and `auto`'s memory of failed modes; default `Date.now`
 * @property {typeof EventSource} [EventSource]  default `globalThis.EventSource`
 * @property {typeof WebSocket} [WebSocket]  default `globalThis.WebSocket`
 * @property {typeof XMLHttpRequest} [XMLHttpRequest]  for calls carrying files; default `globalThis.XMLHttpRequest`
 * @property {typeof Blob} [Blob]  what counts as a file argument; default `globalThis.Blob`
 * @property {LockManager} [locks]  Web Locks, for electing the tab that holds the shared socket; default `navigator.locks`
 * @property {typeof BroadcastChannel} [BroadcastChannel]  how tabs talk; default `globalThis.BroadcastChannel`
 * @property {boolean} [shareTabs]  whether this tab may share one WebSocket with the other tabs of its origin
 *   (default true; see `pagewire.shareTabs`)
 * @property {Document} [document]  for `visibilityState`; default `globalThis.document`
 * @property {(url: string, body: string) => boolean} [sendBeacon]  default `navigator.sendBeacon`
 * @property {{addEventListener: (type: string, fn: (event: Event) => void) => void}} [window]
 *   fires `pagehide` and `pageshow`; default `globalThis`
 * @property {Logger | null} [logger]  told of state changes (see `pagewire.setLogger`); default none
 * @property {Storage | null} [sessionStorage]  where `auto` remembers failed modes per tab; default
 *   `globalThis.sessionStorage`, null for none
 */

/**
 * PagewireOptions with defaults filled in; browser objects are looked up at each use.
 * @typedef {object} Config
 * @property {string} base
 * @property {boolean} crossOrigin  whether `base` is another origin than the page's
 * @property {string} path
 * @property {(url: string, init: RequestInit) => Promise<Response>} fetch
 * @property {(fn: () => void, ms: number) => unknown} setTimeout
 * @property {(handle: any) => void} clearTimeout
 * @property {(fn: () => void) => void} queueMicrotask
 * @property {() => number} random
 * @property {() => number} now
 * @property {() => (typeof EventSource | undefined)} EventSource
 * @property {() => (typeof WebSocket | undefined)} WebSocket
 * @property {() => (typeof XMLHttpRequest | undefined)} XMLHttpRequest
 * @property {() => (typeof Blob | undefined)} Blob
 * @property {() => (LockManager | undefined)} locks
 * @property {() => (typeof BroadcastChannel | undefined)} BroadcastChannel
 * @property {() => (Document | undefined)} document
 * @property {(url: string, body: string) => boolean} sendBeacon
 * @property {any} window
 * @property {() => (Storage | null)} sessionStorage
 */

/**
 * A failed call. `name` is `PagewireError`, `TimeoutError`, or for code `EXCEPTION` the
 * server's exception name.
 * @typedef {Error & {code: string, incident?: string, proxy?: string, method?: string}} PagewireError
 */

/** @typedef {(message: string, error: PagewireError) => void} ErrorHandler */

/**
 * Receives the engine's state changes, SignalR's `ILogger` made small: `log(level, message)`.
 * @typedef {object} Logger
 * @property {(level: LogLevel, message: string) => void} log
 */

/**
 * `debug`: the mode chosen at each handshake; `info`: handshakes, mode changes, connection
 * restored, pages ended, resyncs; `warn`: fallbacks and refused modes, connection lost,
 * overflow resyncs, a handshake asked to wait (429); `error`: a handshake refused.
 * @typedef {'debug' | 'info' | 'warn' | 'error'} LogLevel
 */

/**
 * Per-call options, given as a trailing plain object (or a trailing function as callback).
 * @typedef {object} CallOptions
 * @property {(result: any) => void} [callback]  called with the result on success
 * @property {ErrorHandler} [errorHandler]  any failure (exceptions too, unless exceptionHandler is set)
 * @property {ErrorHandler} [exceptionHandler]  failures of the server method (EXCEPTION, INTERNAL)
 * @property {number} [timeout]  ms; overrides pagewire.setTimeout; 0 = none
 * @property {(progress: Progress) => void} [onProgress]  for a call carrying files: bytes of its
 *   request sent so far, as the upload goes
 */

/**
 * How much of a call's request is sent: `total` is the request's size (NaN when unknown).
 * @typedef {{loaded: number, total: number}} Progress
 */

/**
 * What a remote method returning `FileDownload` gives the page. `url` serves the file once, to
 * this browser's HTTP session, until the server's `downloadExpiry`; `save()` makes the browser
 * download it (through an anchor with `download`).
 * @typedef {object} FileDownload
 * @property {string} name
 * @property {string} type
 * @property {number | null} size  in bytes, null when the server does not know it
 * @property {string} url
 * @property {() => void} save
 */

/**
 * The handshake's upload limits (Infinity for one it leaves out).
 * @typedef {{maxUploadBytes: number, maxUploadBytesPerCall: number, maxUploadFiles: number}} UploadLimits
 */

/** @typedef {{timeout?: number, errorHandler?: ErrorHandler}} BatchOptions */

/** @typedef {{code: string, message: string, name?: string, incident?: string}} Fault */

/**
 * What came back for a chunk: the replies (with updates, `upTo` and the server's `time`), or a fault for all its calls.
 * @typedef {{replies?: any[], updates?: unknown, upTo?: unknown, time?: unknown, fault?: Fault, cause?: unknown}} Outcome
 */

/**
 * One estimate of the server's clock: `offset` (ms to add to the page's clock), from an exchange
 * whose `roundTrip` took that long, ending at `at` (the page's clock).
 * @typedef {{offset: number, roundTrip: number, at: number}} ClockSample
 */

/**
 * @typedef {object} PendingCall
 * @property {number} id
 * @property {string} proxy
 * @property {string} method
 * @property {CallOptions} options
 * @property {string} wire  the call as JSON, made when the call was made
 * @property {Blob[]} files  the files its arguments carry, `{"$file": i}` in `wire`
 * @property {(() => void) | null} abortUpload  cuts its upload while one is under way
 * @property {Promise<any>} promise
 * @property {(value: any) => void} resolve
 * @property {(error: PagewireError) => void} reject
 * @property {unknown} timer
 * @property {boolean} settled
 */

/** @typedef {{id: string, token: string, maxCallsPerBatch: number, uploads: UploadLimits, delivery: Delivery}} PageHandle */

/** @typedef {'passive' | 'polling' | 'comet' | 'sse' | 'websocket'} Mode */

/** What a page may choose: a mode, or `auto` (the engine picks the best that works). @typedef {Mode | 'auto'} ModeName */

/** A tab's part in sharing one WebSocket: it holds the socket, or gets its frames from the tab that does. @typedef {'leader' | 'follower'} TabRole */

/**
 * What a leader's socket transport tells the tab sharing (section Tab sharing): the socket is
 * open (with a function that sends a frame on it), a frame of a carried page came, the socket closed.
 * @typedef {{opened: (send: (text: string) => void) => void, receive: (frame: any) => void, closed: () => void}} TabRelay
 */

/**
 * `auto`'s state while it is the page's choice: its options, the timer of its next try of a
 * better mode, and when the held modes may be tried again after a fallback at the cap.
 * @typedef {{options: ModeOptions, timer: unknown, slotWaits: Map<Mode, number>}} AutoState
 */

/**
 * What `auto` remembers per tab (sessionStorage): for each mode that failed, when it may be tried
 * again and how many times in a row it failed.
 * @typedef {Partial<Record<Mode, {until: number, strikes: number}>>} AutoMemory
 */

/**
 * The handshake's delivery advice; `mode` may be `auto`, `allowed` never holds it; `shareTabs`:
 * the server lets this page share another tab's socket.
 * @typedef {{mode: ModeName, allowed: readonly Mode[], pollMillis: number, holdMillis: number, ackDelayMillis: number, heartbeatMillis: number, shareTabs?: boolean}} Delivery
 */

/**
 * `interval`: ms between polls; `upgradeAfter` (auto): ms before a failed mode is tried again
 * (default 60 s, doubled at each failure in a row up to 15 min), and before a page moved to
 * polling at the held-request cap tries its mode again (default 15 s).
 * @typedef {{interval?: number, upgradeAfter?: number}} ModeOptions
 */

/** A mode the page chose; `active` is setActiveReverseAjax(true) before the handshake. @typedef {{mode: ModeName | 'active', options: ModeOptions}} ModeChoice */

/**
 * The contract of every active delivery mode, SignalR's `ITransport` made small. A factory
 * `(host: TransportHost, ...) => Transport` makes one per started mode and page; the engine sets
 * `onReceive` and `onClose`, then calls `start()`. Once stopped, a transport does nothing more,
 * whatever its requests bring back later.
 * @typedef {object} Transport
 * @property {() => void} start  opens the connection, and opens it again after failures (backing off with `host.nextDelay`)
 * @property {() => void} stop  ends it for good; idempotent
 * @property {(message: TransportMessage) => Promise<Outcome> | null} send  carries calls or an ack over the
 *   transport's own connection; null when it has none open (the HTTP transports never do): the engine then POSTs
 * @property {(delivered: Delivered) => void} onReceive  set by the engine: applies what arrived, updates then `upTo`
 * @property {(next: {mode: Mode, reason: string}) => void} onClose  set by the engine: the transport gave up
 *   (`reason` as in the `mode` event) and the page goes on in `next.mode`
 */

/**
 * What a transport may use of the engine, as one object: the page it serves, the injected
 * browser parts, and the engine's shared bookkeeping.
 * @typedef {object} TransportHost
 * @property {PageHandle} page  the page this transport serves; its id, token and delivery advice
 * @property {Config} config  fetch, timers, EventSource, WebSocket, document...
 * @property {() => number} cursor  the highest update applied: the `ack` to send
 * @property {() => number} nextDelay  the next wait before reconnecting (backoff with jitter)
 * @property {(code: string) => void} linkLost  fires `disconnect`, once until the link is back
 * @property {(proven?: boolean) => void} linkRestored  fires `connect` if the link was lost; proven (default): the backoff starts over
 * @property {() => void} linkProven  the backoff starts over, with no `connect` (a stream or socket open a while: after the
 *   browser's `offline` event, its timer is no news from the server)
 * @property {(body: {ack: number, hold?: boolean}, signal: AbortSignal | undefined, isStopped: () => boolean) => Promise<PollResult>} poll
 *   one `POST poll`; refusals are handled (page renewed, or fallen back to passive)
 * @property {(reply: {status: number, payload: any}) => 'retry' | 'stop'} refused  handles a refusal as `poll` does
 * @property {() => void} ackLater  updates arrived without a request to carry the ack: acknowledge within `ackDelayMillis`
 * @property {(reason: 'failed' | 'silent') => void} failed  the connection did not work while a plain poll did: `failed` (it
 *   could not be opened: a refused WebSocket upgrade) or `silent` (it brought nothing within its watchdog time: a buffering
 *   proxy). Under `auto` the engine moves down, stopping this transport; otherwise nothing happens
 * @property {(error: unknown) => void} reportProblem  an `error` event
 * @property {(fault: Fault) => PagewireError} createError
 */

/**
 * What a transport's poll brought: ok (the payload, for `onReceive`), retry (back off and try
 * again), stop (nothing more to do: stopped, page lost, or mode refused, handled already).
 * @typedef {{status: 'ok' | 'retry' | 'stop', payload?: any}} PollResult
 */

/** Updates and the `upTo` cursor, as a reply, a stream event or a frame brings them. @typedef {{updates?: unknown, upTo?: unknown}} Delivered */

/** What the engine asks a transport to carry: an ack, and calls if any. @typedef {{ack: number, calls?: PendingCall[]}} TransportMessage */

/**
 * Receives what is published on a subscribed topic: the data, and where it came from.
 * @typedef {(data: any, info: TopicInfo) => void} TopicHandler
 */

/**
 * `topic`: the topic it was published on (the pattern may have wildcards); `key`: for a
 * latest-value topic (`publishLatest`), the key, else null; `skipped`: how many values of that
 * key this page never saw because newer ones replaced them while it was behind; `time`: the
 * server's clock when it was published (ms since the epoch, compare with `pagewire.serverTime()`),
 * or null from a server that does not say.
 * @typedef {{topic: string, key: string | null, skipped: number, time: number | null}} TopicInfo
 */

/**
 * The page's handlers of one pattern, and the server's answer to its latest subscribe call.
 * @typedef {{handlers: Set<TopicHandler>, ready: Promise<void>}} PatternSubscription
 */

/**
 * What `pagewire.subscribe` returns. `ready` settles when the server accepted the subscription,
 * and rejects with its refusal; `unsubscribe()` ends it (the server forgets the pattern when its
 * page's last handler goes).
 * @typedef {{readonly pattern: string, readonly ready: Promise<void>, unsubscribe: () => void}} Subscription
 */

/** @typedef {{parent: BatchGroup | null, calls: PendingCall[], timeout?: number, errorHandler?: ErrorHandler}} BatchGroup */

if (typeof module === 'object' && module.exports) module.exports = { createPagewire };
