// The folders' one-way dependencies and no import cycles (`npm run check:imports`, part of `npm run check`).
// Workers and the Durable Objects depend on shared/; cli/, bench/ and test/ on them and on devkit/
// (the Node-side kit), never on each other's internals.
/** @type {import('dependency-cruiser').IConfiguration} */
// Tests may import what they test (a Durable Object's test drives the gateway's queue consumer);
// the folder rules below are about the code that ships and the tools around it.
const TESTS = "(^|/)test/|\\.test\\.ts$";
const forbidden = (name, from, to, comment) => ({ name, severity: "error", comment, from: { path: from, pathNot: TESTS }, to: { path: to } });
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "An import cycle couples modules that should depend one way.",
      from: { pathNot: TESTS },
      to: { circular: true, pathNot: TESTS },
    },
    forbidden("shared-is-shared", "^shared/", "^(workers|durable-objects|cli|bench|devkit|test|clients)/", "shared/ is what the Workers and objects build on; it imports none of them."),
    forbidden("objects-not-on-workers", "^durable-objects/", "^(workers|cli|bench|devkit|test)/", "A Durable Object depends on shared/, not on a Worker's internals."),
    {
      name: "workers-not-on-each-other",
      severity: "error",
      comment: "A Worker does not reach into another Worker; what both need lives in shared/.",
      from: { path: "^workers/([^/]+)/src/" },
      to: { path: "^workers/([^/]+)/", pathNot: "^workers/$1/" },
    },
    forbidden("runtime-not-on-node-side", "^(workers/[^/]+/src|durable-objects|shared)/", "^(cli|bench|devkit|test|demo)/", "Runtime code never imports the Node-side tools."),
    forbidden("cli-not-on-tests-or-bench", "^cli/", "^(test|bench)/", "Commands use devkit/, not the tests' or benches' internals."),
    forbidden("bench-not-on-tests-or-cli", "^bench/", "^(test|cli)/", "Benchmarks use devkit/, not the tests' or the commands' internals."),
    {
      name: "tests-not-on-cli-or-bench",
      severity: "error",
      comment: "Tests use devkit/ and what they test, not the commands' or benches' internals (a bench's own unit test, beside it, tests it).",
      from: { path: TESTS, pathNot: "^bench/[^/]+\\.test\\.ts$" },
      to: { path: "^(cli|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|generated|dist|\\.wrangler|test-artifacts|web)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.node.json" },
    enhancedResolveOptions: { extensions: [".ts", ".mts", ".js", ".mjs", ".json"] },
  },
};
