// `npm run bench:latency [-- --n 100] [--url http://localhost:8787]`
// Sequential chat round trips (POST …/messages?wait=30) through the whole pipeline, with metrics
// on and with metrics off (STRATUS_METRICS=off in every Worker), in the same run: two local stacks
// on workerd from the same wrangler.toml files, their turns interleaved (on, off, off, on, …) so
// that the machine's noise falls on both alike. Prints p50/p90/p99 of each and the overhead of the
// instrumentation, the metric flushes per turn (all off the user's path), and the time of a
// /metrics scrape with the three example bots active; writes bench/results/latency.{md,json}.
// With --url it measures that running stack only (its metrics setting, whatever it is).
import { parseArgs } from "node:util";
import { METRICS_TOKEN, startStratus, type Stratus } from "../devkit/local-stack.ts";
import { parsePrometheusText, sumOf } from "../devkit/prometheus-text.ts";
import { machineDescription, writeBenchResults } from "./results-files.ts";
import { percentile, round } from "./stats.ts";

const { values } = parseArgs({ options: { url: { type: "string" }, n: { type: "string", default: "100" } } });
const rounds = Number(values.n);
/** The three bots take turns, a fresh conversation every 25 turns (one conversation may send 60 messages per 10 s). */
const BOTS = ["ecommerce", "finance", "health"] as const;
const TEXTS: Record<(typeof BOTS)[number], string[]> = {
  ecommerce: ["hello", "where is my order ORD-4820193", "I want to return an item", "thanks", "你好", "我的订单到哪了"],
  finance: ["hello", "what is the price of AAPL", "thanks", "你好"],
  health: ["hello", "I want to book an appointment", "thanks", "你好"],
};

interface Arm {
  name: string;
  base: string;
  samples: number[];
  send(): Promise<void>;
}

function arm(name: string, base: string): Arm {
  let turns = 0;
  let conversation: { id: string; token: string } | undefined;
  const samples: number[] = [];
  const newConversation = async (bot: string): Promise<{ id: string; token: string }> => {
    const created = await fetch(`${base}/v1/conversations`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ bot }) });
    return (await created.json()) as { id: string; token: string };
  };
  return {
    name,
    base,
    samples,
    async send() {
      const bot = BOTS[Math.floor(turns / 25) % BOTS.length] ?? "ecommerce";
      if (turns % 25 === 0 || !conversation) conversation = await newConversation(bot);
      const texts = TEXTS[bot];
      const text = texts[turns % texts.length] ?? "hello";
      turns++;
      const started = performance.now();
      const response = await fetch(`${base}/v1/conversations/${conversation.id}/messages?wait=30`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${conversation.token}` },
        body: JSON.stringify({ text }),
      });
      const body = (await response.json()) as { replies?: unknown[] };
      if (response.status !== 200 || !body.replies?.length) throw new Error(`no reply: ${response.status} ${JSON.stringify(body)}`);
      samples.push(performance.now() - started);
    },
  };
}

const summary = (samples: number[]) => ({
  p50_ms: round(percentile(samples, 50)),
  p90_ms: round(percentile(samples, 90)),
  p99_ms: round(percentile(samples, 99)),
  max_ms: round(Math.max(...samples)),
});

async function scrape(base: string): Promise<{ ms: number; text: string }> {
  const started = performance.now();
  const response = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics: ${response.status} ${text}`);
  return { ms: performance.now() - started, text };
}

const stacks: Stratus[] = [];
try {
  let arms: Arm[];
  if (values.url) {
    arms = [arm("running stack", values.url)];
  } else {
    const [on, off] = await Promise.all([startStratus(), startStratus({ allVars: { STRATUS_METRICS: "off" } })]);
    if (!on || !off) throw new Error("stacks did not start");
    stacks.push(on, off);
    arms = [arm("metrics on", on.url), arm("metrics off", off.url)];
  }
  for (const one of arms) for (let i = 0; i < 5; i++) await one.send(); // warm-up
  for (const one of arms) one.samples.length = 0;
  const flushesBefore = values.url ? 0 : sumOf(parsePrometheusText((await scrape(arms[0]?.base ?? "")).text), "stratus_metrics_flushes_total");
  for (let i = 0; i < rounds; i++) {
    // Alternate which arm goes first, so that neither always follows the other's turn.
    for (const one of i % 2 === 0 ? arms : [...arms].reverse()) await one.send();
  }

  const on = arms[0];
  if (!on) throw new Error("no arm");
  // Scrapes with the three bots active; deltas of the last turns reach the aggregator within a second.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const scrapes: number[] = [];
  let lastText = "";
  for (let i = 0; i < 20; i++) {
    const { ms, text } = await scrape(on.base);
    scrapes.push(ms);
    lastText = text;
  }
  const flushes = sumOf(parsePrometheusText(lastText), "stratus_metrics_flushes_total") - flushesBefore;
  const off = arms[1];
  const result = {
    rounds,
    ...Object.fromEntries(arms.map((one) => [one.name.replaceAll(" ", "_"), summary(one.samples)])),
    ...(off ? { overhead_p50_percent: round(((percentile(on.samples, 50) - percentile(off.samples, 50)) / percentile(off.samples, 50)) * 100) } : {}),
    ...(values.url ? {} : { metric_flushes_per_turn: round(flushes / rounds, 2) }),
    scrape_p50_ms: round(percentile(scrapes, 50)),
    scrape_max_ms: round(Math.max(...scrapes)),
    scrape_bytes: lastText.length,
    target: values.url ?? "two local stacks on workerd (wrangler's test harness, same wrangler.toml files), turns interleaved",
    machine: machineDescription(),
    measured_at: new Date().toISOString(),
  };
  const rows = arms.map((one) => {
    const figures = summary(one.samples);
    return `| ${one.name} | ${figures.p50_ms} ms | ${figures.p90_ms} ms | ${figures.p99_ms} ms | ${figures.max_ms} ms |`;
  });
  writeBenchResults(
    "latency",
    result,
    `# Chat round-trip latency (local workerd), metrics on and off\n\n` +
      `${rounds} sequential \`POST /v1/conversations/:id/messages?wait=30\` round trips per arm (gateway → DO → intent queue → intent Worker → ` +
      `dialogue queue → dialogue Worker → DO → response), the three bots in turn, after 5 warm-up turns; the arms' turns interleaved.\n\n` +
      `| arm | p50 | p90 | p99 | max |\n|---|---|---|---|---|\n${rows.join("\n")}\n\n` +
      (off ? `Instrumentation overhead at p50: ${result.overhead_p50_percent}% (target ≤ 5%).\n` : "") +
      (values.url ? "" : `Metric flushes per turn (every Worker's isolates together): ${result.metric_flushes_per_turn}, all in waitUntil after the response (0 extra subrequests on the user's path; target ≤ 1).\n`) +
      `GET /metrics with the three bots active: p50 ${result.scrape_p50_ms} ms, max ${result.scrape_max_ms} ms over 20 scrapes, ${result.scrape_bytes} bytes (target ≤ 100 ms).\n\n` +
      `Target: ${result.target}. Machine: ${result.machine}. Measured ${result.measured_at}.\n` +
      `Local queues are simulated by Miniflare; production latency depends on Cloudflare Queues' delivery.\n`,
  );
} finally {
  await Promise.all(stacks.map((stack) => stack.close()));
}
