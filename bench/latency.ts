// `npm run bench:latency [-- --url http://localhost:8787] [--n 100]`
// Sequential chat round trips (POST …/messages?wait=30) through the whole pipeline, as a user of
// `npm run dev` sees them. Without --url it starts `wrangler dev` itself (same command as npm run
// dev) on a throwaway state folder. Prints p50/p90/p99 and writes bench/results/latency.{md,json}.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startWranglerDev, type DevServer } from "../devkit/wrangler-dev.ts";
import { machineDescription, writeBenchResults } from "./results-files.ts";
import { percentile, round } from "./stats.ts";

const { values } = parseArgs({ options: { url: { type: "string" }, n: { type: "string", default: "100" } } });
const rounds = Number(values.n);
const TEXTS = ["hello", "where is my order ORD-4820193", "I want to return an item", "thanks", "你好", "我的订单到哪了"];

let dev: DevServer | undefined;
let persistDir: string | undefined;
let base = values.url;
if (!base) {
  persistDir = mkdtempSync(join(tmpdir(), "stratus-bench-"));
  dev = await startWranglerDev(persistDir);
  base = dev.url;
}

try {
  // A fresh conversation every 25 turns: one conversation is rate-limited to 60 messages per
  // 10 s (far above a person's pace, far below this loop's).
  const newConversation = async (): Promise<{ id: string; token: string }> => {
    const created = await fetch(`${base}/v1/conversations`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    return (await created.json()) as { id: string; token: string };
  };
  let conversation = await newConversation();
  let turns = 0;
  const send = async (text: string): Promise<number> => {
    if (++turns % 25 === 0) conversation = await newConversation();
    const started = performance.now();
    const response = await fetch(`${base}/v1/conversations/${conversation.id}/messages?wait=30`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${conversation.token}` },
      body: JSON.stringify({ text }),
    });
    const body = (await response.json()) as { replies?: unknown[] };
    if (response.status !== 200 || !body.replies?.length) throw new Error(`no reply: ${response.status} ${JSON.stringify(body)}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 5; i++) await send(TEXTS[i % TEXTS.length] ?? "hello"); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) samples.push(await send(TEXTS[i % TEXTS.length] ?? "hello"));

  const result = {
    rounds,
    p50_ms: round(percentile(samples, 50)),
    p90_ms: round(percentile(samples, 90)),
    p99_ms: round(percentile(samples, 99)),
    max_ms: round(Math.max(...samples)),
    target: values.url ? values.url : "wrangler dev (started by the benchmark)",
    machine: machineDescription(),
    measured_at: new Date().toISOString(),
  };
  writeBenchResults(
    "latency",
    result,
    `# Chat round-trip latency (local workerd)\n\n${rounds} sequential \`POST /v1/conversations/:id/messages?wait=30\` round trips ` +
      `(gateway → DO → intent queue → intent Worker → dialogue queue → dialogue Worker → DO → response), after 5 warm-up turns.\n\n` +
      `| p50 | p90 | p99 | max |\n|---|---|---|---|\n| ${result.p50_ms} ms | ${result.p90_ms} ms | ${result.p99_ms} ms | ${result.max_ms} ms |\n\n` +
      `Target: ${result.target}. Machine: ${result.machine}. Measured ${result.measured_at}.\n` +
      `Local queues in wrangler dev are simulated by Miniflare; production latency depends on Cloudflare Queues' delivery.\n`,
  );
} finally {
  await dev?.stop();
  if (persistDir) rmSync(persistDir, { recursive: true, force: true });
}
