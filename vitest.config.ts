import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * The gateway Worker (with its Durable Objects) from the root wrangler.toml, as the workerd unit
 * test projects run it: local values for its secrets, and stand-ins for the Workers it binds to.
 */
const gatewayInWorkerd = (bindings: Record<string, string> = {}) => ({
  wrangler: { configPath: "./wrangler.toml" },
  miniflare: {
    bindings: {
      TOKEN_SECRET: "unit-test-token-secret",
      OPERATOR_API_KEY: "unit-test-operator-key",
      METRICS_TOKEN: "unit-test-metrics-token",
      STRATUS_METRICS: "off",
      ...bindings,
    },
    // The intent Worker's NLU RPC (POST /v1/nlu/parse) is not under test here; the
    // end-to-end tests cover it. workerd needs the binding to point somewhere.
    serviceBindings: { NLU: () => new Response("not available in unit tests", { status: 503 }) },
    // Metrics are off here (they have their own project below and end-to-end tests), but
    // the METRICS binding must name a Durable Object class of a worker that exists.
    workers: [
      {
        name: "stratus-metrics",
        modules: true,
        script: `import { DurableObject } from "cloudflare:workers";
          export class MetricsAggregatorDurableObject extends DurableObject {}
          export default { fetch: () => new Response(null, { status: 404 }) };`,
        durableObjects: { METRICS: "MetricsAggregatorDurableObject" },
      },
      // The bot registry lives in the intent Worker (docs/bot-versions.md); here every bot is on
      // its built-in version, as in a deployment where no version was ever published.
      {
        name: "stratus-intent",
        modules: true,
        script: `import { DurableObject } from "cloudflare:workers";
          export class BotRegistryDurableObject extends DurableObject { release() { return { current: 1, canary: null }; } }
          export default { fetch: () => new Response(null, { status: 404 }) };`,
        durableObjects: { BOT_REGISTRY: "BotRegistryDurableObject" },
      },
    ],
  },
});

export default defineConfig({
  test: {
    // Worker tests start workerd and wait on real queues; two cores run two files at a time.
    maxWorkers: 2,
    reporters: ["default", "./test/harness/summary-reporter.ts"],
    projects: [
      {
        // End-to-end tests drive the real Workers from Node (wrangler's createTestHarness / wrangler
        // dev); NLU and dialogue engine unit tests and the client SDK's unit tests run in Node.
        test: {
          name: "node",
          include: ["test/**/*.test.ts", "workers/*/test/**/*.test.ts", "shared/**/*.test.ts", "clients/**/*.test.ts", "bench/**/*.test.ts", "demo/**/*.test.ts", "devkit/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Unit tests inside workerd (@cloudflare/vitest-plugin): the gateway Worker and its
        // conversation Durable Object from the root wrangler.toml, with real SQLite storage, alarms
        // and queue bindings, driven directly (runInDurableObject, runDurableObjectAlarm,
        // createMessageBatch). Fast: no wall-clock waits, the clock is moved instead.
        plugins: [cloudflareTest(gatewayInWorkerd())],
        test: {
          name: "workers-runtime",
          include: ["durable-objects/conversation/**/*.test.ts", "durable-objects/analytics/test/*.test.ts", "durable-objects/directory/test/*.test.ts"],
        },
      },
      {
        // Signed-in users in workerd, from the same root wrangler.toml: the user profile Durable
        // Object (SQLite, alarms), user tokens checked with jose against a secret and against a JWKS
        // an identity provider on loopback publishes (test/harness/jwks-server.ts), and the user
        // assertions backends receive (that file also runs in Node, where backends check them).
        plugins: [cloudflareTest(gatewayInWorkerd({ USER_TOKEN_SECRET: "unit-test-user-token-secret-0123456789" }))],
        test: {
          name: "identity-runtime",
          include: ["durable-objects/user-profile/**/*.test.ts", "workers/gateway/src/**/*.test.ts", "shared/action-assertion.test.ts"],
          globalSetup: ["./test/harness/jwks-server.ts"],
        },
      },
      {
        // The bot registry in workerd, from the intent Worker's wrangler.toml (its class lives there):
        // versions stored in chunks, content-addressed, the release rules.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./workers/intent/wrangler.toml" },
            miniflare: {
              bindings: { STRATUS_METRICS: "off" },
              workers: [
                {
                  name: "stratus-metrics",
                  modules: true,
                  script: `import { DurableObject } from "cloudflare:workers";
                    export class MetricsAggregatorDurableObject extends DurableObject {}
                    export default { fetch: () => new Response(null, { status: 404 }) };`,
                  durableObjects: { METRICS: "MetricsAggregatorDurableObject" },
                },
              ],
            },
          }),
        ],
        test: {
          name: "registry-runtime",
          include: ["durable-objects/bot-registry/**/*.test.ts"],
        },
      },
      {
        // The aggregating Durable Object in workerd, from the metrics Worker's wrangler.toml: flushes
        // applied once, totals kept across restarts, bounded series.
        plugins: [cloudflareTest({ wrangler: { configPath: "./workers/metrics/wrangler.toml" } })],
        test: {
          name: "metrics-runtime",
          include: ["durable-objects/metrics-aggregator/**/*.test.ts"],
        },
      },
    ],
  },
});
