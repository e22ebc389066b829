// The aggregated counts survive the whole runtime stopping (every isolate evicted at once) and
// starting again over the same state: after N turns, a restart and M more, the turn counter is
// exactly N + M — nothing lost that was flushed, nothing counted twice by the new isolates.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { METRICS_TOKEN } from "../../devkit/local-stack.ts";
import { parsePrometheusText, sumOf } from "../../devkit/prometheus-text.ts";
import { startWranglerDev, type DevServer } from "../../devkit/wrangler-dev.ts";

const persistDir = mkdtempSync(join(tmpdir(), "stratus-metrics-restart-"));
let dev: DevServer | undefined;
afterAll(async () => {
  await dev?.stop();
  rmSync(persistDir, { recursive: true, force: true });
});

async function turns(base: string, count: number): Promise<void> {
  const created = await fetch(`${base}/v1/conversations`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"locale":"en"}' });
  const { id, token } = (await created.json()) as { id: string; token: string };
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${base}/v1/conversations/${id}/messages?wait=20`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ text: i % 2 ? "thanks" : "hello" }),
    });
    if (response.status !== 200) throw new Error(`turn ${i}: ${response.status}`);
  }
}

async function scrapedTurns(base: string): Promise<number> {
  const response = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  return sumOf(parsePrometheusText(await response.text()), "stratus_turns_total");
}

/** The turn counter once it reaches `atLeast` (counts reach the aggregator a flush later), or what it is after 15 s. */
async function turnCount(base: string, atLeast: number): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const count = await scrapedTurns(base);
    if (count >= atLeast || Date.now() > deadline) return count;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("metrics across a restart", () => {
  it("keeps every flushed count and counts nothing twice", { timeout: 180_000 }, async () => {
    dev = await startWranglerDev(persistDir);
    await turns(dev.url, 5);
    expect(await turnCount(dev.url, 5)).toBe(5);
    await dev.stop();
    dev = await startWranglerDev(persistDir);
    expect(await turnCount(dev.url, 5)).toBe(5);
    await turns(dev.url, 3);
    expect(await turnCount(dev.url, 8)).toBe(8);
    // Later scrapes agree: no flush was applied twice.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await scrapedTurns(dev.url)).toBe(8);
  });
});
