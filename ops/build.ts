// `npm run ops:build`: writes the generated operations files from their sources in ops/src/ —
// the alert rules and their promtool tests (alerts.ts) and the Grafana dashboard (dashboard.ts).
// The tests fail when a committed file differs from what this writes.
import { writeFileSync } from "node:fs";
import { OPS_FILES } from "./src/ops-files.ts";

for (const [path, render] of Object.entries(OPS_FILES)) {
  writeFileSync(new URL(`../${path}`, import.meta.url), render());
  console.log(`wrote ${path}`);
}
