// The /metrics writer's output, checked by Prometheus's own linter: a series of every metric in
// the catalogue, written as GET /metrics writes it, passes `promtool check metrics` with no remark.
import { describe, expect, it } from "vitest";
import { prometheusTools, runPromtool } from "../../devkit/prometheus.ts";
import { METRICS, METRIC_NAMES, labelNames, type MetricDefinition, type MetricName } from "../../shared/metrics/catalogue.ts";
import { writeExposition } from "../../shared/metrics/exposition.ts";
import { enumerateLabel, labelBounds } from "../../shared/metrics/label-domains.ts";
import type { MetricSeries } from "../../shared/schemas/metrics.ts";

const bounds = labelBounds(
  { shop: { locales: ["en", "zh"], intents: ["greet"], actions: ["lookup_order"], forms: ["order_form"] } },
  [{ path: "/v1/conversations/:id/messages", method: "POST" }],
);

/** A series of `name` with the first value of each of its labels (a route template, a 200). */
function oneSeries(name: MetricName): MetricSeries {
  const definition: MetricDefinition = METRICS[name];
  const labels: Record<string, string> = {};
  for (const label of labelNames(definition)) {
    labels[label] = label === "route" ? "/v1/conversations/:id/messages" : (enumerateLabel(definition.labels[label]!, labels, bounds)?.[0] ?? "200");
  }
  const values = labelNames(definition).map((label) => labels[label] ?? "");
  if (definition.type !== "histogram") return { metric: name, labels: values, value: 1 };
  const buckets = new Array<number>(definition.buckets.length + 1).fill(0);
  buckets[2] = 1;
  return { metric: name, labels: values, buckets, sum: 0.3, count: 1 };
}

const promtool = prometheusTools();
describe.skipIf("skip" in promtool)(`the exposition format${"skip" in promtool ? ` (skipped: ${promtool.skip})` : ""}`, () => {
  it("passes promtool check metrics with a series of every metric", () => {
    if (!("tools" in promtool)) return;
    const check = runPromtool(promtool.tools, ["check", "metrics"], { input: writeExposition(METRIC_NAMES.map(oneSeries), bounds) });
    expect(check.output).toBe("");
    expect(check.status).toBe(0);
  });
});
