import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "workers/*/test/**/*.test.ts", "shared/**/*.test.ts", "clients/**/*.test.ts"],
    // Worker tests start workerd and wait on real queues; two cores run two files at a time.
    maxWorkers: 2,
    reporters: ["default", "./test/harness/summary-reporter.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
