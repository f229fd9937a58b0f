// ---- The npm module's own exports (appended to the engine by scripts/build.mjs) ----

/** @type {ReturnType<typeof createPagewire> | null} */
let connected = null;
let connectedBase = '';

/**
 * Connects this page to the Pagewire server at `base` (its mount URL, such as
 * "https://api.example.com/pagewire" or "/pagewire") and starts the engine; the generated proxies
 * imported from "pagewire" use it. Call it once, before the first call; a second call with the
 * same base returns the same engine.
 * @param {string} base
 * @param {Omit<PagewireOptions, 'base'>} [options]
 */
export function connect(base, options = {}) {
  if (connected) {
    if (connectedBase !== base.replace(/\/+$/, '')) {
      throw new Error(`pagewire: already connected to ${connectedBase}, not ${base}`);
    }
    return connected;
  }
  const engine = createPagewire({ ...options, base });
  connectedBase = base.replace(/\/+$/, '');
  connected = engine;
  engine.start();
  return engine;
}

function engine() {
  if (!connected) throw new Error('pagewire: call connect(base) before using the engine or a proxy');
  return connected;
}

/**
 * The connected engine, usable before `connect` runs (ES imports run first): proxies made from it
 * find the engine when they are called; everything else waits for `connect`.
 */
const pagewire = new Proxy(/** @type {any} */ ({}), {
  get(_, key) {
    if (key === 'proxy') {
      return (/** @type {string} */ name, /** @type {Record<string, number[]>} */ arities) => {
        /** @type {any} */ let made = null;
        return new Proxy({}, {
          get(__, method) {
            return (/** @type {any[]} */ ...args) => {
              made ??= engine().proxy(name, arities);
              return made[method](...args);
            };
          },
        });
      };
    }
    const value = engine()[key];
    return typeof value === 'function' ? value.bind(connected) : value;
  },
});

export { createPagewire, pagewire };
export default pagewire;
