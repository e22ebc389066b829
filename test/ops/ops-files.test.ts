// The operations files in ops/: generated from their sources and up to date, valid for the real
// Prometheus tools (promtool), every alert proven by its unit tests, and every metric and label a
// query names defined by the metric catalogue.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../devkit/local-stack.ts";
import { prometheusTools, runPromtool } from "../../devkit/prometheus.ts";
import { ALERT_CASES, ALERT_RULES } from "../../ops/src/alerts.ts";
import { DASHBOARD_ROWS } from "../../ops/src/dashboard.ts";
import { OPS_FILES } from "../../ops/src/ops-files.ts";
import { METRICS, labelNames, type MetricDefinition } from "../../shared/metrics/catalogue.ts";

describe("ops/ files", () => {
  it.each(Object.keys(OPS_FILES))("%s is what npm run ops:build writes", (path) => {
    expect(readFileSync(join(ROOT, path), "utf8"), `${path} is stale: run npm run ops:build`).toBe(OPS_FILES[path]?.());
  });

  it("has a firing and a quiet unit test for every alert", () => {
    for (const rule of ALERT_RULES) {
      const cases = ALERT_CASES[rule.alert] ?? [];
      expect(cases.some((c) => c.firing.length > 0), `${rule.alert} has no firing case`).toBe(true);
      expect(cases.some((c) => c.firing.length === 0), `${rule.alert} has no quiet case`).toBe(true);
    }
    expect(Object.keys(ALERT_CASES).sort()).toEqual(ALERT_RULES.map((rule) => rule.alert).sort());
  });

  const queries = [
    ...ALERT_RULES.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr })),
    ...DASHBOARD_ROWS.flatMap((row) => row.panels.flatMap((panel) => panel.queries.map((query) => ({ where: `panel "${panel.title}"`, expr: query.expr })))),
  ];

  it("names only catalogue metrics (with their type's suffixes) and their labels in every query", () => {
    const series = new Map<string, MetricDefinition>();
    for (const [name, definition] of Object.entries(METRICS) as [string, MetricDefinition][]) {
      if (definition.type === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) series.set(name + suffix, definition);
      else series.set(name, definition);
    }
    for (const { where, expr } of queries) {
      const named = [...expr.matchAll(/\bstratus_[a-z_]+/g)].map((match) => match[0]);
      // `up` is Prometheus's own series for each scrape target.
      expect(named.length > 0 || /\bup\{/.test(expr), `${where} names no metric`).toBe(true);
      const labels = new Set(["le", "job", "instance"]);
      for (const name of named) {
        const definition = series.get(name);
        expect(definition, `${where}: ${name} is not in shared/metrics/catalogue.ts`).toBeDefined();
        if (definition) for (const label of labelNames(definition)) labels.add(label);
      }
      const used = [
        ...[...expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((match) => (match[1] ?? "").split(",")),
        ...[...expr.matchAll(/[{,]\s*([a-z_]+)\s*(?:=~|!=|!~|=)/g)].map((match) => match[1] ?? ""),
      ].map((label) => label.trim());
      for (const label of used) expect(labels.has(label), `${where}: label "${label}" is not one of its metrics'`).toBe(true);
    }
  });

  it("lays the dashboard out on Grafana's 24-column grid, every panel querying the chosen Prometheus", () => {
    const dashboard = JSON.parse(readFileSync(join(ROOT, "ops/grafana/stratus-dashboard.json"), "utf8")) as {
      uid: string;
      panels: { id: number; type: string; gridPos: { x: number; w: number }; datasource?: { uid: string }; targets?: { expr: string }[] }[];
    };
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) {
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      if (panel.type === "row") continue;
      expect(panel.datasource?.uid).toBe("${datasource}");
      expect(panel.targets?.length).toBeGreaterThan(0);
    }
  });

  const promtool = prometheusTools();
  describe.skipIf("skip" in promtool)(`with promtool${"skip" in promtool ? ` (skipped: ${promtool.skip})` : ""}`, () => {
    const run = (...args: string[]) => ("tools" in promtool ? runPromtool(promtool.tools, args) : { status: null, output: "" });

    it("accepts the scrape configuration", () => {
      const check = run("check", "config", "--syntax-only", "prometheus.yml");
      expect(check.output).toContain("SUCCESS");
      expect(check.status).toBe(0);
    });

    it("accepts the alert rules", () => {
      const check = run("check", "rules", "alerts.yml");
      expect(check.output).toContain(`SUCCESS: ${ALERT_RULES.length} rules found`);
      expect(check.status).toBe(0);
    });

    it("passes every alert's unit tests (promtool test rules)", () => {
      const test = run("test", "rules", "alerts.test.yml");
      expect(test.output).toContain("SUCCESS");
      expect(test.status).toBe(0);
    });
  });
});
