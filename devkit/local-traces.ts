// X_LOCAL_OBSERVABILITY=false: wrangler's local trace collector (a dev-only UI that stores every
// invocation's trace in SQLite) cost ~4 ms of CPU per chat turn here, a third of the runtime's
// work; production does not run it, and neither do `npm run dev` (unless asked: `--traces`), the
// benchmarks and tests. A module of its own so that cli/dev.ts reads it without loading wrangler's
// package (local-stack.ts does, ~250 MB), and local-stack.ts without an import cycle through wrangler-dev.ts.

/** The environment entry that turns wrangler's local trace collector off. */
export const NO_LOCAL_TRACES = { X_LOCAL_OBSERVABILITY: "false" } as const;
