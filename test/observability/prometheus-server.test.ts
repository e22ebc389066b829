// A real Prometheus server (Debian's package) scraping the running local stack with the shipped
// scrape configuration and alert rules, 1 s scrape and evaluation intervals. After real chat
// traffic with injected faults: (a) the scrape target is up, (b) every query of every dashboard
// panel returns data, (c) an alert fires. Skips with a message only where Prometheus is not
// installed, and never in CI (prometheusTools() throws there).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../demo/services.ts";
import { TEST_ACTION_KEYS } from "../../devkit/action-keys.ts";
import { METRICS_TOKEN, startStratus, type Stratus } from "../../devkit/local-stack.ts";
import { sendObservabilityTraffic, type TrafficRun } from "../../devkit/observability-traffic.ts";
import { prometheusTools, startPrometheus, type PrometheusServer } from "../../devkit/prometheus.ts";
import { DASHBOARD_ROWS, grafanaQuery } from "../../ops/src/dashboard.ts";

const tools = prometheusTools();

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.skipIf("skip" in tools)(`a real Prometheus scraping the stack${"skip" in tools ? ` (skipped: ${tools.skip})` : ""}`, () => {
  let demo: DemoServices;
  let stratus: Stratus;
  let prometheus: PrometheusServer;
  let traffic: TrafficRun | undefined;
  let startedAt = 0;

  beforeAll(async () => {
    if (!("tools" in tools)) return;
    demo = await startDemoServices({ port: 0, actionKeys: TEST_ACTION_KEYS });
    stratus = await startStratus({
      allVars: { STRATUS_METRICS_FLUSH_MS: "250" },
      gatewayVars: { TURN_TIMEOUT_MS: "2000", MAX_TURN_ATTEMPTS: "2" },
      dialogueVars: { ORDER_API_URL: demo.url, MARKET_API_URL: demo.url },
    });
    prometheus = await startPrometheus(tools.tools, { targetUrl: stratus.url, metricsToken: METRICS_TOKEN });
    startedAt = Date.now() / 1000;
  });

  afterAll(async () => {
    for (const socket of traffic?.sockets ?? []) socket.close();
    await prometheus?.stop();
    await stratus?.close();
    await demo?.close();
  });

  it("scrapes the gateway's /metrics with the bearer token from its credentials file: the target is up", async () => {
    const target = await until("a successful scrape", async () => (await prometheus.targets()).find((t) => t.health === "up"), 30_000);
    expect(target.scrapeUrl).toBe(`${stratus.url}/metrics`);
    expect(target.lastError).toBe("");
    const [up] = await prometheus.query('up{job="stratus"}');
    expect(up?.value?.[1]).toBe("1");
    // For the record (the target is ≤ 100 ms locally): what Prometheus measured for the last scrape.
    console.log(`scrape of /metrics: ${(target.lastScrapeDuration * 1000).toFixed(1)} ms`);
  });

  it("has data for every query of every dashboard panel after real traffic with injected faults", { timeout: 180_000 }, async () => {
    traffic = await sendObservabilityTraffic(stratus);
    const queries = DASHBOARD_ROWS.flatMap((row) =>
      row.panels.flatMap((panel) => panel.queries.map((query) => ({ panel: panel.title, legend: query.legend, expr: grafanaQuery(query.expr) }))),
    );
    const hasData = async (expr: string): Promise<boolean> => {
      const series = await prometheus.queryRange(expr, startedAt, Date.now() / 1000, 1);
      return series.some((one) => (one.values ?? []).some(([, value]) => Number.isFinite(Number(value)) && Number(value) > 0));
    };
    // The last deltas reach Prometheus a flush and a scrape later.
    let missing = queries;
    for (const deadline = Date.now() + 60_000; missing.length > 0 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const stillMissing: typeof queries = [];
      for (const query of missing) if (!(await hasData(query.expr))) stillMissing.push(query);
      missing = stillMissing;
    }
    expect(missing.map((query) => `${query.panel} (${query.legend}): ${query.expr}`)).toEqual([]);
  });

  it("fires the pipeline-fallback alert for the turn whose every attempt failed", { timeout: 60_000 }, async () => {
    const alert = await until(
      "an alert to fire",
      async () => (await prometheus.alerts()).find((one) => one.state === "firing" && one.labels.alertname === "StratusPipelineFallbacks"),
      45_000,
    );
    expect(alert.labels).toMatchObject({ bot: "ecommerce", severity: "warning" });
  });
});
