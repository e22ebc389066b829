// One phase of a load run: C conversations at once, each with its bot and locale drawn from the
// mix, sending messages one after another with a think time between them, either a fixed number
// each or until a deadline; then the figures of what the clients saw and what the transcripts hold.
import { METRICS_TOKEN } from "../devkit/local-stack.ts";
import { readTranscript } from "../devkit/transcript.ts";
import { parsePrometheusText, type Sample } from "../devkit/prometheus-text.ts";
import { TURN_STAGES } from "../shared/metrics/catalogue.ts";
import { checkTranscript, ConversationDriver, createConversation, thinkTime, type DeliveryCheck, type Transport, type WireCounts } from "./load-client.ts";
import { percentile, round } from "./stats.ts";

/** What users say to each bot in each locale: intents, FAQ, a backend action (order status, a quote) — no handoff. */
export const TEXTS: Record<string, string[]> = {
  "ecommerce:en": ["hello", "where is my order ORD-4820193", "how long does shipping take", "what is your return policy", "thanks"],
  "ecommerce:zh": ["你好", "我的订单ORD-4820193到哪了", "运费多少", "谢谢"],
  "ecommerce:es": ["hola", "¿dónde está mi pedido ORD-4820193?", "¿cuánto tarda el envío?", "gracias"],
  "finance:en": ["hello", "what is the price of AAPL", "thanks"],
  "finance:zh": ["你好", "AAPL的股价是多少", "谢谢"],
  "health:en": ["hello", "what are your opening hours", "thanks"],
  "health:zh": ["你好", "谢谢"],
};

export const DEFAULT_MIX = "ecommerce:en=40,ecommerce:zh=15,ecommerce:es=10,finance:en=15,finance:zh=5,health:en=10,health:zh=5";

/** The command-line options bench:load and bench:faults share (node:util parseArgs), with their defaults. */
export const SHARED_LOAD_OPTIONS = {
  messages: { type: "string", default: "10" },
  "think-ms": { type: "string", default: "2000" },
  mix: { type: "string", default: DEFAULT_MIX },
  /** Where workerd persists the run's state (default a tmpfs, see persistRoot in load-stack.ts). */
  "persist-dir": { type: "string" },
  http: { type: "boolean", default: false },
} as const;

/** A numeric option, checked: a clear error naming it rather than a NaN deep in the run. */
export function numberOption(name: string, value: string | undefined, min: number, max = Number.POSITIVE_INFINITY): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}`);
  return n;
}

export interface MixEntry {
  bot: string;
  locale: string;
  weight: number;
}

/** `bot:locale=weight,…` → entries whose texts exist (an unknown pair is an error, not silently skipped). */
export function parseMix(spec: string): MixEntry[] {
  const entries = spec.split(",").map((part) => {
    const match = /^([a-z][a-z0-9_-]*):([a-z]{2})=(\d+(?:\.\d+)?)$/.exec(part.trim());
    if (!match) throw new Error(`--mix: "${part}" is not bot:locale=weight`);
    const [, bot = "", locale = "", weight = "0"] = match;
    if (!TEXTS[`${bot}:${locale}`]) throw new Error(`--mix: no bench texts for ${bot}:${locale} (have ${Object.keys(TEXTS).join(", ")})`);
    return { bot, locale, weight: Number(weight) };
  });
  if (entries.every((entry) => entry.weight <= 0)) throw new Error("--mix: all weights are 0");
  return entries;
}

/** The i-th conversation's bot and locale: spread over the mix in proportion to the weights, deterministically. */
function pick(mix: readonly MixEntry[], i: number): MixEntry {
  const total = mix.reduce((sum, entry) => sum + entry.weight, 0);
  let point = ((i * 0.618_033_988_75) % 1) * total; // golden-ratio spread: any prefix of conversations follows the mix
  for (const entry of mix) {
    if (point < entry.weight) return entry;
    point -= entry.weight;
  }
  return mix[0] as MixEntry;
}

export interface PhaseOptions {
  base: string;
  conversations: number;
  /** Messages per conversation; or, with `durationMs`, as many as fit before the deadline. */
  messages?: number;
  durationMs?: number;
  thinkMs: number;
  transport: Transport;
  mix: readonly MixEntry[];
  /** How long a client waits for one reply before it moves on (the message then counts as unanswered in time). */
  replyTimeoutMs: number;
  /** A prefix for clientMessageIds, so that phases on the same stack never collide. */
  label: string;
  onReply?: () => void;
}

export interface Phase {
  drivers: ConversationDriver[];
  /** clientMessageIds per conversation, in the order they were sent. */
  sentInOrder: Map<ConversationDriver, string[]>;
  elapsedS: number;
}

export async function runPhase(options: PhaseOptions): Promise<Phase> {
  const drivers: ConversationDriver[] = [];
  for (let i = 0; i < options.conversations; i += 20) {
    const batch = Array.from({ length: Math.min(20, options.conversations - i) }, (_, j) => pick(options.mix, i + j));
    const created = await Promise.all(batch.map((entry) => createConversation(options.base, { bot: entry.bot, locale: entry.locale })));
    drivers.push(...created.map((target) => new ConversationDriver(target, options.transport)));
  }
  await Promise.all(drivers.map((driver) => driver.open()));

  const sentInOrder = new Map<ConversationDriver, string[]>();
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Number.POSITIVE_INFINITY : started + options.durationMs;
  await Promise.all(
    drivers.map(async (driver, c) => {
      const entry = pick(options.mix, c);
      const texts = TEXTS[`${entry.bot}:${entry.locale}`] ?? ["hello"];
      const ids: string[] = [];
      sentInOrder.set(driver, ids);
      // The first message after a random share of one think time, so arrivals do not start in lockstep.
      if (options.thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * options.thinkMs));
      for (let m = 0; m < (options.messages ?? Number.POSITIVE_INFINITY) && performance.now() < deadline; m++) {
        const clientMessageId = `${options.label}-${c}-${m}`;
        ids.push(clientMessageId);
        const sent = await driver.send(texts[(c + m) % texts.length] ?? "hello", clientMessageId, options.replyTimeoutMs);
        if (sent.answeredAt !== undefined) options.onReply?.();
        const pause = thinkTime(options.thinkMs);
        if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }),
  );
  return { drivers, sentInOrder, elapsedS: (performance.now() - started) / 1000 };
}

export interface PhaseFigures {
  conversations: number;
  messages_sent: number;
  answered: number;
  elapsed_s: number;
  messages_per_s: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
}

/**
 * Replies per second while the run was in full swing: between the 5th and the 95th percentile of
 * the answer times, so that neither the start (conversations still in their first think time) nor
 * the tail (the few conversations whose think times added up longest) dilutes it.
 */
function steadyRate(answerTimes: number[]): number {
  if (answerTimes.length < 20) return Number.NaN;
  const from = percentile(answerTimes, 5);
  const to = percentile(answerTimes, 95);
  const within = answerTimes.filter((t) => t >= from && t <= to).length;
  return to > from ? round(within / ((to - from) / 1000)) : Number.NaN;
}

/** What the clients saw: replies per second and reply latency (send → first bot reply received). */
export function clientFigures(phase: Phase): PhaseFigures {
  const sent = phase.drivers.flatMap((driver) => [...driver.sent.values()]);
  const latencies = sent.flatMap((m) => (m.answeredAt === undefined ? [] : [m.answeredAt - m.sentAt]));
  return {
    conversations: phase.drivers.length,
    messages_sent: sent.length,
    answered: latencies.length,
    elapsed_s: round(phase.elapsedS, 2),
    messages_per_s: steadyRate(sent.flatMap((m) => (m.answeredAt === undefined ? [] : [m.answeredAt]))),
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    p99_ms: round(percentile(latencies, 99)),
    max_ms: round(latencies.length ? latencies.reduce((max, ms) => Math.max(max, ms), 0) : Number.NaN),
  };
}

/** The client's share of the breakdown: send → stored message back (gateway + object), reply written → received (delivery). */
export function clientStages(phase: Phase): { stored_ms: number; delivery_ms: number } {
  const sent = phase.drivers.flatMap((driver) => [...driver.sent.values()]);
  const mean = (values: number[]) => round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length));
  return {
    stored_ms: mean(sent.flatMap((m) => (m.storedAt === undefined ? [] : [m.storedAt - m.sentAt]))),
    delivery_ms: mean(sent.flatMap((m) => (m.deliveryMs === undefined ? [] : [m.deliveryMs]))),
  };
}

export type Checks = DeliveryCheck & WireCounts & { resent: number };

/** Every conversation's transcript against what its client sent, and what the clients saw on the wire. */
export async function checkPhase(phase: Phase, base: string): Promise<Checks> {
  const totals: Checks = { lost: 0, duplicated: 0, outOfOrder: 0, fallbacks: 0, duplicateFrames: 0, outOfOrderFrames: 0, gaps: 0, reconnects: 0, failedRequests: 0, refused: 0, resent: 0 };
  for (let i = 0; i < phase.drivers.length; i += 20) {
    const batch = phase.drivers.slice(i, i + 20);
    const checks = await Promise.all(
      batch.map(async (driver) => {
        const transcript = await readTranscript({ fetch: (path, init) => fetch(`${base}${path}`, init) }, driver);
        return { driver, check: checkTranscript(transcript, phase.sentInOrder.get(driver) ?? [], "stratus_pipeline_fallback") };
      }),
    );
    for (const { driver, check } of checks) {
      for (const key of ["lost", "duplicated", "outOfOrder", "fallbacks"] as const) totals[key] += check[key];
      for (const key of ["duplicateFrames", "outOfOrderFrames", "gaps", "reconnects", "failedRequests", "refused"] as const) totals[key] += driver.wire[key];
      totals.resent += [...driver.sent.values()].reduce((sum, m) => sum + m.resent, 0);
    }
  }
  return totals;
}

/** Waits until every sent message has its first reply, or the time is up (a turn in its last retries). */
export async function settle(phase: Phase, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const unanswered = () => phase.drivers.some((driver) => [...driver.sent.values()].some((m) => m.answeredAt === undefined));
  while (unanswered() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
}

export async function scrapeMetrics(base: string): Promise<Sample[]> {
  const response = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  if (response.status !== 200) throw new Error(`GET /metrics: ${response.status}`);
  return parsePrometheusText(await response.text());
}

const total = (samples: readonly Sample[], name: string, where: (labels: Record<string, string>) => boolean = () => true) =>
  samples.filter((s) => s.name === name && where(s.labels)).reduce((sum, s) => sum + s.value, 0);

/** Mean milliseconds per stage over the turns between two scrapes (stratus_turn_stage_duration_seconds). */
export function stageMeans(before: readonly Sample[], after: readonly Sample[]): Record<string, number> {
  const means: Record<string, number> = {};
  for (const stage of TURN_STAGES) {
    const of = (labels: Record<string, string>) => labels.stage === stage;
    const count = total(after, "stratus_turn_stage_duration_seconds_count", of) - total(before, "stratus_turn_stage_duration_seconds_count", of);
    const sum = total(after, "stratus_turn_stage_duration_seconds_sum", of) - total(before, "stratus_turn_stage_duration_seconds_sum", of);
    means[stage] = count > 0 ? round((sum / count) * 1000) : Number.NaN;
  }
  return means;
}

/** Counter deltas between two scrapes, summed over labels (optionally filtered). */
export function counterDelta(before: readonly Sample[], after: readonly Sample[], name: string, where?: (labels: Record<string, string>) => boolean): number {
  return total(after, name, where) - total(before, name, where);
}
