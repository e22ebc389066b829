// The planner's two sources, read and validated: Cloudflare's prices and limits, and the per-turn
// costs (and round-trip latency) the benches last measured.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { LatencyResultSchema, PriceBookSchema, TurnCostResultSchema, type PriceBook, type TurnCostResult } from "../shared/schemas/capacity.ts";
import { describeZodError } from "../shared/zod-issues.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

export const PLANNER_FILES = {
  prices: root("planner/cloudflare-prices.json"),
  turnCost: root("bench/results/turn-cost.json"),
  latency: root("bench/results/latency.json"),
};

function readJson<T>(path: string, schema: z.ZodType<T>, hint: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`cannot read ${path} (${hint}): ${String(error)}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not valid: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

export const readPriceBook = (path = PLANNER_FILES.prices) => readJson(path, PriceBookSchema, "Cloudflare's prices and limits");
export const readTurnCosts = (path = PLANNER_FILES.turnCost) => readJson(path, TurnCostResultSchema, "run npm run bench:turn-cost");
export const readLatency = (path = PLANNER_FILES.latency) => readJson(path, LatencyResultSchema, "run npm run bench:latency");

/** Where the plan's figures come from, as its heading says (paths relative to the repository). */
export function planSources(costs: TurnCostResult, prices: PriceBook): { costs: string; prices: string; deployment: string } {
  return {
    costs: `${relative(ROOT, PLANNER_FILES.turnCost)} (${costs.turns} steady messages of ${costs.traffic.conversations_at_once} conversations at once, measured ${costs.measured_at} on ${costs.machine})`,
    prices: `${relative(ROOT, PLANNER_FILES.prices)} (read ${[...new Set(Object.values(prices.figures).map((f) => f.read))].join(", ")})`,
    deployment: "the committed wrangler.toml files (queues, consumers, shard vars)",
  };
}
