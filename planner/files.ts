// The planner's two sources, read and validated: Cloudflare's prices and limits, and the per-turn
// costs (and round-trip latency) the benches last measured.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { LatencyResultSchema, PriceBookSchema, TurnCostResultSchema } from "../shared/schemas/capacity.ts";
import { describeZodError } from "../shared/zod-issues.ts";

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
