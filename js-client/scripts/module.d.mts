// ---- The npm module's own exports ----

/** The page's engine, as `connect` returns it. */
export type Pagewire = ReturnType<typeof createPagewire>;

/**
 * Connects this page to the Pagewire server at `base` (such as "https://api.example.com/pagewire")
 * and starts the engine; the generated proxies imported from "pagewire" use it.
 */
export function connect(base: string, options?: Omit<PagewireOptions, 'base'>): Pagewire;

/** The connected engine (the proxies' `import pagewire from "pagewire"`); throws until `connect`. */
declare const pagewire: Pagewire;
export { pagewire };
export default pagewire;
