export type PagewireOptions = {
    /**
     * mount URL without trailing slash, e.g. "/pagewire", or an absolute URL
     * of another origin (whose server lists this page's origin in `allowOrigins`: calls, polls and
     * streams then carry credentials)
     */
    base: string;
    /**
     * the URL the engine script was loaded from: a path `base` is taken
     * relative to its origin when that is not the page's (the served engine.js sets it)
     */
    script?: string | undefined;
    /**
     * the page's URL path, sent in the handshake; default `location.pathname`
     */
    path?: string | undefined;
    /**
     * deprecated: the old name of `path`, read when `path` is absent
     */
    page?: string | undefined;
    /**
     * default `globalThis.fetch`
     */
    fetch?: ((url: string, init: RequestInit) => Promise<Response>) | undefined;
    /**
     * injectable so tests control time
     */
    setTimeout?: ((fn: () => void, ms: number) => unknown) | undefined;
    clearTimeout?: ((handle: any) => void) | undefined;
    queueMicrotask?: ((fn: () => void) => void) | undefined;
    /**
     * for the reconnect jitter; default `Math.random`
     */
    random?: (() => number) | undefined;
    /**
     * the page's clock in ms since the epoch, for `serverTime()` and `auto`'s memory of failed modes; default `Date.now`
     */
    now?: (() => number) | undefined;
    /**
     * default `globalThis.EventSource`
     */
    EventSource?: {
        new (url: string | URL, eventSourceInitDict?: EventSourceInit): EventSource;
        prototype: EventSource;
        readonly CONNECTING: 0;
        readonly OPEN: 1;
        readonly CLOSED: 2;
    } | undefined;
    /**
     * default `globalThis.WebSocket`
     */
    WebSocket?: {
        new (url: string | URL, protocols?: string | string[]): WebSocket;
        prototype: WebSocket;
        readonly CONNECTING: 0;
        readonly OPEN: 1;
        readonly CLOSING: 2;
        readonly CLOSED: 3;
    } | undefined;
    /**
     * for calls carrying files; default `globalThis.XMLHttpRequest`
     */
    XMLHttpRequest?: {
        new (): XMLHttpRequest;
        prototype: XMLHttpRequest;
        readonly UNSENT: 0;
        readonly OPENED: 1;
        readonly HEADERS_RECEIVED: 2;
        readonly LOADING: 3;
        readonly DONE: 4;
    } | undefined;
    /**
     * what counts as a file argument; default `globalThis.Blob`
     */
    Blob?: {
        new (blobParts?: BlobPart[], options?: BlobPropertyBag): Blob;
        prototype: Blob;
    } | undefined;
    /**
     * Web Locks, for electing the tab that holds the shared socket; default `navigator.locks`
     */
    locks?: LockManager | undefined;
    /**
     * how tabs talk; default `globalThis.BroadcastChannel`
     */
    BroadcastChannel?: {
        new (name: string): BroadcastChannel;
        prototype: BroadcastChannel;
    } | undefined;
    /**
     * whether this tab may share one WebSocket with the other tabs of its origin
     * (default true; see `pagewire.shareTabs`)
     */
    shareTabs?: boolean | undefined;
    /**
     * for `visibilityState`; default `globalThis.document`
     */
    document?: Document | undefined;
    /**
     * default `navigator.sendBeacon`
     */
    sendBeacon?: ((url: string, body: string) => boolean) | undefined;
    /**
     * fires `pagehide` and `pageshow`; default `globalThis`
     */
    window?: {
        addEventListener: (type: string, fn: (event: Event) => void) => void;
    } | undefined;
    /**
     * told of state changes (see `pagewire.setLogger`); default none
     */
    logger?: Logger | null | undefined;
    /**
     * where `auto` remembers failed modes per tab; default
     * `globalThis.sessionStorage`, null for none
     */
    sessionStorage?: Storage | null | undefined;
};
/**
 * PagewireOptions with defaults filled in; browser objects are looked up at each use.
 */
export type Config = {
    base: string;
    /**
     * whether `base` is another origin than the page's
     */
    crossOrigin: boolean;
    path: string;
    fetch: (url: string, init: RequestInit) => Promise<Response>;
    setTimeout: (fn: () => void, ms: number) => unknown;
    clearTimeout: (handle: any) => void;
    queueMicrotask: (fn: () => void) => void;
    random: () => number;
    now: () => number;
    EventSource: () => (typeof EventSource | undefined);
    WebSocket: () => (typeof WebSocket | undefined);
    XMLHttpRequest: () => (typeof XMLHttpRequest | undefined);
    Blob: () => (typeof Blob | undefined);
    locks: () => (LockManager | undefined);
    BroadcastChannel: () => (typeof BroadcastChannel | undefined);
    document: () => (Document | undefined);
    sendBeacon: (url: string, body: string) => boolean;
    window: any;
    sessionStorage: () => (Storage | null);
};
/**
 * A failed call. `name` is `PagewireError`, `TimeoutError`, or for code `EXCEPTION` the
 * server's exception name.
 */
export type PagewireError = Error & {
    code: string;
    incident?: string;
    proxy?: string;
    method?: string;
};
export type ErrorHandler = (message: string, error: PagewireError) => void;
/**
 * Receives the engine's state changes, SignalR's `ILogger` made small: `log(level, message)`.
 */
export type Logger = {
    log: (level: LogLevel, message: string) => void;
};
/**
 * `debug`: the mode chosen at each handshake; `info`: handshakes, mode changes, connection
 * restored, pages ended, resyncs; `warn`: fallbacks and refused modes, connection lost,
 * overflow resyncs, a handshake asked to wait (429); `error`: a handshake refused.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
/**
 * Per-call options, given as a trailing plain object (or a trailing function as callback).
 */
export type CallOptions = {
    /**
     * called with the result on success
     */
    callback?: ((result: any) => void) | undefined;
    /**
     * any failure (exceptions too, unless exceptionHandler is set)
     */
    errorHandler?: ErrorHandler | undefined;
    /**
     * failures of the server method (EXCEPTION, INTERNAL)
     */
    exceptionHandler?: ErrorHandler | undefined;
    /**
     * ms; overrides pagewire.setTimeout; 0 = none
     */
    timeout?: number | undefined;
    /**
     * for a call carrying files: bytes of its
     * request sent so far, as the upload goes
     */
    onProgress?: ((progress: Progress) => void) | undefined;
};
/**
 * How much of a call's request is sent: `total` is the request's size (NaN when unknown).
 */
export type Progress = {
    loaded: number;
    total: number;
};
/**
 * What a remote method returning `FileDownload` gives the page. `url` serves the file once, to
 * this browser's HTTP session, until the server's `downloadExpiry`; `save()` makes the browser
 * download it (through an anchor with `download`).
 */
export type FileDownload = {
    name: string;
    type: string;
    /**
     * in bytes, null when the server does not know it
     */
    size: number | null;
    url: string;
    save: () => void;
};
/**
 * The handshake's upload limits (Infinity for one it leaves out).
 */
export type UploadLimits = {
    maxUploadBytes: number;
    maxUploadBytesPerCall: number;
    maxUploadFiles: number;
};
export type BatchOptions = {
    timeout?: number;
    errorHandler?: ErrorHandler;
};
export type Fault = {
    code: string;
    message: string;
    name?: string;
    incident?: string;
};
/**
 * What came back for a chunk: the replies (with updates, `upTo` and the server's `time`), or a fault for all its calls.
 */
export type Outcome = {
    replies?: any[];
    updates?: unknown;
    upTo?: unknown;
    time?: unknown;
    fault?: Fault;
    cause?: unknown;
};
/**
 * One estimate of the server's clock: `offset` (ms to add to the page's clock), from an exchange
 * whose `roundTrip` took that long, ending at `at` (the page's clock).
 */
export type ClockSample = {
    offset: number;
    roundTrip: number;
    at: number;
};
export type PendingCall = {
    id: number;
    proxy: string;
    method: string;
    options: CallOptions;
    /**
     * the call as JSON, made when the call was made
     */
    wire: string;
    /**
     * the files its arguments carry, `{"$file": i}` in `wire`
     */
    files: Blob[];
    /**
     * cuts its upload while one is under way
     */
    abortUpload: (() => void) | null;
    promise: Promise<any>;
    resolve: (value: any) => void;
    reject: (error: PagewireError) => void;
    timer: unknown;
    settled: boolean;
};
export type PageHandle = {
    id: string;
    token: string;
    maxCallsPerBatch: number;
    uploads: UploadLimits;
    delivery: Delivery;
};
export type Mode = "passive" | "polling" | "comet" | "sse" | "websocket";
/**
 * What a page may choose: a mode, or `auto` (the engine picks the best that works).
 */
export type ModeName = Mode | "auto";
/**
 * A tab's part in sharing one WebSocket: it holds the socket, or gets its frames from the tab that does.
 */
export type TabRole = "leader" | "follower";
/**
 * What a leader's socket transport tells the tab sharing (section Tab sharing): the socket is
 * open (with a function that sends a frame on it), a frame of a carried page came, the socket closed.
 */
export type TabRelay = {
    opened: (send: (text: string) => void) => void;
    receive: (frame: any) => void;
    closed: () => void;
};
/**
 * `auto`'s state while it is the page's choice: its options, the timer of its next try of a
 * better mode, and when the held modes may be tried again after a fallback at the cap.
 */
export type AutoState = {
    options: ModeOptions;
    timer: unknown;
    slotWaits: Map<Mode, number>;
};
/**
 * What `auto` remembers per tab (sessionStorage): for each mode that failed, when it may be tried
 * again and how many times in a row it failed.
 */
export type AutoMemory = Partial<Record<Mode, {
    until: number;
    strikes: number;
}>>;
/**
 * The handshake's delivery advice; `mode` may be `auto`, `allowed` never holds it; `shareTabs`:
 * the server lets this page share another tab's socket.
 */
export type Delivery = {
    mode: ModeName;
    allowed: readonly Mode[];
    pollMillis: number;
    holdMillis: number;
    ackDelayMillis: number;
    heartbeatMillis: number;
    shareTabs?: boolean;
};
/**
 * `interval`: ms between polls; `upgradeAfter` (auto): ms before a failed mode is tried again
 * (default 60 s, doubled at each failure in a row up to 15 min), and before a page moved to
 * polling at the held-request cap tries its mode again (default 15 s).
 */
export type ModeOptions = {
    interval?: number;
    upgradeAfter?: number;
};
/**
 * A mode the page chose; `active` is setActiveReverseAjax(true) before the handshake.
 */
export type ModeChoice = {
    mode: ModeName | "active";
    options: ModeOptions;
};
/**
 * The contract of every active delivery mode, SignalR's `ITransport` made small. A factory
 * `(host: TransportHost, ...) => Transport` makes one per started mode and page; the engine sets
 * `onReceive` and `onClose`, then calls `start()`. Once stopped, a transport does nothing more,
 * whatever its requests bring back later.
 */
export type Transport = {
    /**
     * opens the connection, and opens it again after failures (backing off with `host.nextDelay`)
     */
    start: () => void;
    /**
     * ends it for good; idempotent
     */
    stop: () => void;
    /**
     * carries calls or an ack over the
     * transport's own connection; null when it has none open (the HTTP transports never do): the engine then POSTs
     */
    send: (message: TransportMessage) => Promise<Outcome> | null;
    /**
     * set by the engine: applies what arrived, updates then `upTo`
     */
    onReceive: (delivered: Delivered) => void;
    /**
     * set by the engine: the transport gave up
     * (`reason` as in the `mode` event) and the page goes on in `next.mode`
     */
    onClose: (next: {
        mode: Mode;
        reason: string;
    }) => void;
};
/**
 * What a transport may use of the engine, as one object: the page it serves, the injected
 * browser parts, and the engine's shared bookkeeping.
 */
export type TransportHost = {
    /**
     * the page this transport serves; its id, token and delivery advice
     */
    page: PageHandle;
    /**
     * fetch, timers, EventSource, WebSocket, document...
     */
    config: Config;
    /**
     * the highest update applied: the `ack` to send
     */
    cursor: () => number;
    /**
     * the next wait before reconnecting (backoff with jitter)
     */
    nextDelay: () => number;
    /**
     * fires `disconnect`, once until the link is back
     */
    linkLost: (code: string) => void;
    /**
     * fires `connect` if the link was lost; proven (default): the backoff starts over
     */
    linkRestored: (proven?: boolean) => void;
    /**
     * the backoff starts over, with no `connect` (a stream or socket open a while: after the
     * browser's `offline` event, its timer is no news from the server)
     */
    linkProven: () => void;
    /**
     *   one `POST poll`; refusals are handled (page renewed, or fallen back to passive)
     */
    poll: (body: {
        ack: number;
        hold?: boolean;
    }, signal: AbortSignal | undefined, isStopped: () => boolean) => Promise<PollResult>;
    /**
     * handles a refusal as `poll` does
     */
    refused: (reply: {
        status: number;
        payload: any;
    }) => "retry" | "stop";
    /**
     * updates arrived without a request to carry the ack: acknowledge within `ackDelayMillis`
     */
    ackLater: () => void;
    /**
     * the connection did not work while a plain poll did: `failed` (it
     * could not be opened: a refused WebSocket upgrade) or `silent` (it brought nothing within its watchdog time: a buffering
     * proxy). Under `auto` the engine moves down, stopping this transport; otherwise nothing happens
     */
    failed: (reason: "failed" | "silent") => void;
    /**
     * an `error` event
     */
    reportProblem: (error: unknown) => void;
    createError: (fault: Fault) => PagewireError;
};
/**
 * What a transport's poll brought: ok (the payload, for `onReceive`), retry (back off and try
 * again), stop (nothing more to do: stopped, page lost, or mode refused, handled already).
 */
export type PollResult = {
    status: "ok" | "retry" | "stop";
    payload?: any;
};
/**
 * Updates and the `upTo` cursor, as a reply, a stream event or a frame brings them.
 */
export type Delivered = {
    updates?: unknown;
    upTo?: unknown;
};
/**
 * What the engine asks a transport to carry: an ack, and calls if any.
 */
export type TransportMessage = {
    ack: number;
    calls?: PendingCall[];
};
/**
 * Receives what is published on a subscribed topic: the data, and where it came from.
 */
export type TopicHandler = (data: any, info: TopicInfo) => void;
/**
 * `topic`: the topic it was published on (the pattern may have wildcards); `key`: for a
 * latest-value topic (`publishLatest`), the key, else null; `skipped`: how many values of that
 * key this page never saw because newer ones replaced them while it was behind; `time`: the
 * server's clock when it was published (ms since the epoch, compare with `pagewire.serverTime()`),
 * or null from a server that does not say.
 */
export type TopicInfo = {
    topic: string;
    key: string | null;
    skipped: number;
    time: number | null;
};
/**
 * The page's handlers of one pattern, and the server's answer to its latest subscribe call.
 */
export type PatternSubscription = {
    handlers: Set<TopicHandler>;
    ready: Promise<void>;
};
/**
 * What `pagewire.subscribe` returns. `ready` settles when the server accepted the subscription,
 * and rejects with its refusal; `unsubscribe()` ends it (the server forgets the pattern when its
 * page's last handler goes).
 */
export type Subscription = {
    readonly pattern: string;
    readonly ready: Promise<void>;
    unsubscribe: () => void;
};
export type BatchGroup = {
    parent: BatchGroup | null;
    calls: PendingCall[];
    timeout?: number;
    errorHandler?: ErrorHandler;
};
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
export function createPagewire(options: PagewireOptions): Readonly<{
    start: () => Promise<string>;
    /** Resolves with the page id when the first handshake succeeded; never rejects. */
    ready: Promise<string>;
    /** The current page id, or null before the handshake or after losing it. */
    readonly pageId: string | null;
    /** @deprecated Use `pageId`: the same value, under DWR's name. */
    readonly sessionId: string | null;
    /** The current delivery mode: passive, polling, comet, sse or websocket (never `auto`). */
    readonly mode: Mode;
    /** This tab's role in sharing one WebSocket among the tabs: leader, follower, or null (not sharing). */
    readonly tabRole: TabRole | null;
    shareTabs: (share: boolean) => void;
    /** What chooses the mode: `auto` while the engine does, else the mode chosen (same as `mode`). */
    readonly modeChoice: Mode | "auto";
    proxy: (name: string, methods: Record<string, number[]>) => Readonly<Record<string, (...args: any[]) => Promise<any>>>;
    batch: (fn: () => void, options?: BatchOptions) => Promise<any[]>;
    setTimeout: (ms: number) => void;
    setErrorHandler: (fn: ErrorHandler | null) => void;
    setLogger: (next: Logger | null) => void;
    on: (event: string, fn: (detail: any) => void) => void;
    off: (event: string, fn: (detail: any) => void) => void;
    expose: (name: string, object: object | Function) => void;
    reverseAjax: <M extends ModeName>(requested: M, modeOptions?: ModeOptions) => M;
    setActiveReverseAjax: (active: boolean) => void;
    allowScriptUpdates: (allowed: boolean) => void;
    subscribe: (pattern: string, handler: TopicHandler) => Subscription;
    publish: (topic: string, data: unknown) => Promise<void>;
    serverTime: () => number;
    /** The estimate behind `serverTime()`: `{offset, roundTrip}` in ms, or null before any reply. */
    readonly serverClock: {
        offset: number;
        roundTrip: number;
    } | null;
}>;
