/** Engine limits the server's flags show as defaults (kept apart so `sandbank start --help` does not load the engine). */

/** How many sandboxes keep their files, payments and reports in memory before idle ones are evicted. */
export const DEFAULT_MAX_LOADED_SANDBOXES = 32;
