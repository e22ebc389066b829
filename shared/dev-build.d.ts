/**
 * Compile-time constants, replaced by esbuild through wrangler's `define` config field: not vars,
 * so no deployment setting can change them after the build.
 *
 * STRATUS_DEV_FAULTS — the build key of fault injection (shared/fault-injection.ts). Every
 * committed wrangler.toml defines it "false", and `wrangler deploy` bundles from those, so the code
 * behind `if (STRATUS_DEV_FAULTS)` is dead there and esbuild leaves the fault code out (cli/dry-run.ts
 * fails `npm run check` on a deploy bundle that still holds it). Only the configs devkit writes for
 * local runs (devkit/worker-configs.ts `asDevBuild`: the test stack, `wrangler dev`, `npm run dev`)
 * define it "true". Declared here, once, for every tsconfig that compiles Worker code.
 */
declare const STRATUS_DEV_FAULTS: boolean;
