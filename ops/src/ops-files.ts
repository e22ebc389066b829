/** Every generated file under ops/, by path from the repository root, with what renders it. */
import { catalogueMarkdown } from "./catalogue-doc.ts";
import { dashboardJson } from "./dashboard.ts";
import { alertRulesYaml, alertTestsYaml } from "./prometheus-files.ts";

export const OPS_FILES: Record<string, () => string> = {
  "ops/prometheus/alerts.yml": alertRulesYaml,
  "ops/prometheus/alerts.test.yml": alertTestsYaml,
  "ops/grafana/stratus-dashboard.json": dashboardJson,
  "docs/metric-catalogue.md": catalogueMarkdown,
};
