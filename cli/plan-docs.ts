// `npm run plan:docs`: writes docs/scaling.md, the plan files it cites (docs/plans/*.txt) and the
// cost chart (docs/images/cost-vs-traffic.svg) from the planner, the bench's measurements
// (bench/results/turn-cost.json, latency.json), Cloudflare's prices and the committed configs
// (planner/scaling-doc.ts). Run it after a new bench run; test/planner/scaling-doc.test.ts fails
// while the committed files differ from what it writes.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { committedDeployment } from "../planner/deployment.ts";
import { readLatency, readPriceBook, readTurnCosts } from "../planner/files.ts";
import { scalingDocuments } from "../planner/scaling-doc.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const documents = scalingDocuments({ costs: readTurnCosts(), prices: readPriceBook(), latency: readLatency(), deployment: committedDeployment() });
for (const [path, content] of Object.entries(documents)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  console.log(`plan:docs: ${path}`);
}
