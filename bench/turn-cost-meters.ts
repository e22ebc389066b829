// From what the bench's tail Worker saw (every invocation of every Worker and Durable Object, with
// the meters' log lines, bench/workers/meter.ts) to the figures in bench/results/turn-cost.json:
// per Worker, per Durable Object class and per queue family, per unit of traffic. Nothing here
// names a class or a queue: they come from the Workers' configs (MeterContext) and the names the
// runtime reports, filed under shared/capacity-keys.ts's keys.
import { DEAD_LETTER_QUEUES_KEY, isDeadLetterQueue, objectClassKey, parseQueueName, queueKey } from "../shared/capacity-keys.ts";
import type { ObjectClassMeter, QueueMeter, TurnCostSample, WorkerMeter } from "../shared/schemas/capacity.ts";
import type { WorkerConfig } from "../devkit/worker-configs.ts";

const METER_EVENT = "bench_meter"; // bench/workers/meter.ts
/** What workerd reports for a database nothing was written to: one page. */
export const EMPTY_DATABASE_BYTES = 4096;
/** Incoming WebSocket messages billed as one Durable Object request. */
const WEBSOCKET_MESSAGES_PER_REQUEST = 20;

/** One invocation as the tail Worker posts it (bench/workers/trace-forwarder.ts). */
export interface Invocation {
  scriptName: string | null;
  executionModel: string;
  entrypoint: string | null;
  durableObjectId: string | null;
  event: {
    request?: unknown;
    queue?: string;
    batchSize?: number;
    rpcMethod?: string;
    scheduledTime?: unknown;
    cron?: string;
    getWebSocketEvent?: { webSocketEventType?: string };
  } | null;
  outcome: string;
  logs: unknown[];
}

/** What the bench knows from the Workers' configs. */
export interface MeterContext {
  /** Worker key (gateway, intent …) by script name ("stratus" → "gateway"). */
  workerOfScript: Record<string, string>;
  /** The Worker that hosts each Durable Object class. */
  workerOfClass: Record<string, string>;
  /** Per Worker key, the queue each producer binding sends to. */
  queueOfBinding: Record<string, Record<string, string>>;
  /** The Worker that consumes each queue. */
  consumerOfQueue: Record<string, string>;
  /** The Worker the bench's HTTP requests go to (the first config). */
  primaryWorker: string;
}

export function meterContext(configs: Record<string, WorkerConfig>, hostedClasses: (config: WorkerConfig) => string[]): MeterContext {
  const context: MeterContext = { workerOfScript: {}, workerOfClass: {}, queueOfBinding: {}, consumerOfQueue: {}, primaryWorker: Object.keys(configs)[0] ?? "unknown" };
  for (const [worker, config] of Object.entries(configs)) {
    context.workerOfScript[config.name] = worker;
    for (const name of hostedClasses(config)) context.workerOfClass[name] = worker;
    const queues = (config.queues ?? {}) as { producers?: { binding: string; queue: string }[]; consumers?: { queue: string }[] };
    context.queueOfBinding[worker] = Object.fromEntries((queues.producers ?? []).map((p) => [p.binding, p.queue]));
    for (const consumer of queues.consumers ?? []) context.consumerOfQueue[consumer.queue] = worker;
  }
  return context;
}

// ---- one phase's totals (additive), and the few means kept beside them

interface WorkerTotals {
  invocations: number;
  byEvent: Record<string, number>;
  queueSends: number;
  objectCalls: number;
  fetches: number;
  cpuMs: number;
}
interface ObjectTotals {
  rpcCalls: number;
  fetches: number;
  alarms: number;
  websocketMessages: number;
  activeMs: number;
  rowsRead: number;
  rowsWritten: number;
  alarmsSet: number;
  storedRaw: number;
  storedNet: number;
  /** The largest database of one object seen (a maximum, not added up). */
  largest: number;
  subrequests: number;
}
interface QueueTotals {
  writes: number;
  bytes: number;
  largest: number;
  sendCalls: number;
  reads: number;
  deletes: number;
  retries: number;
  deadLetters: number;
  consumerInvocations: number;
  wallMs: number[];
}
export interface PhaseTotals {
  workers: Record<string, WorkerTotals>;
  objects: Record<string, ObjectTotals>;
  queues: Record<string, QueueTotals>;
  dataPoints: number;
}

const newWorker = (): WorkerTotals => ({ invocations: 0, byEvent: {}, queueSends: 0, objectCalls: 0, fetches: 0, cpuMs: 0 });
const newObject = (): ObjectTotals => ({
  rpcCalls: 0,
  fetches: 0,
  alarms: 0,
  websocketMessages: 0,
  activeMs: 0,
  rowsRead: 0,
  rowsWritten: 0,
  alarmsSet: 0,
  storedRaw: 0,
  storedNet: 0,
  largest: 0,
  subrequests: 0,
});
const newQueue = (): QueueTotals => ({
  writes: 0,
  bytes: 0,
  largest: 0,
  sendCalls: 0,
  reads: 0,
  deletes: 0,
  retries: 0,
  deadLetters: 0,
  consumerInvocations: 0,
  wallMs: [],
});

export const emptyTotals = (): PhaseTotals => ({ workers: {}, objects: {}, queues: {}, dataPoints: 0 });

/** Every Worker, class and queue of the configs, so that one a phase never touched still shows, with zeros. */
export function totalsFor(context: MeterContext): PhaseTotals {
  const totals = emptyTotals();
  for (const worker of Object.values(context.workerOfScript)) totals.workers[worker] = newWorker();
  for (const className of Object.keys(context.workerOfClass)) totals.objects[objectClassKey(className)] = newObject();
  const queues = [...Object.values(context.queueOfBinding).flatMap((bindings) => Object.values(bindings)), ...Object.keys(context.consumerOfQueue)];
  for (const queue of queues) totals.queues[queueKey(queue)] = newQueue();
  return totals;
}

/** A meter line as bench/workers/meter.ts writes it. */
interface MeterLine {
  event: string;
  kind: "worker" | "object" | "fetch" | "delivery";
  owner?: string;
  id?: string;
  databaseBytes?: number;
  rowsRead?: number;
  rowsWritten?: number;
  alarmsSet?: number;
  kvRowsRead?: number;
  kvRowsWritten?: number;
  sends?: Record<string, { calls: number; messages: number; bytes: number; largest: number }>;
  objectCalls?: number;
  fetches?: number;
  dataPoints?: number;
  activeMs?: number;
  websocketMessages?: number;
  queue?: string;
  messages?: number;
  acked?: number;
  retried?: number;
  redelivered?: number;
}

/** The meter lines of an invocation (a log entry is the console call's arguments; the line is the last one). */
export function meterLines(invocation: Invocation): MeterLine[] {
  return invocation.logs.flatMap((entry) => {
    const line = Array.isArray(entry) ? (entry as unknown[]).at(-1) : entry;
    if (typeof line !== "string" || !line.includes(METER_EVENT)) return [];
    try {
      const parsed = JSON.parse(line) as MeterLine;
      return parsed.event === METER_EVENT ? [parsed] : [];
    } catch {
      return [];
    }
  });
}

/**
 * What the run knows across phases: which class each object id belongs to (its meter lines name
 * it), and each object's database size when last seen (the baseline of the next phase's growth).
 */
export class ObjectLedger {
  readonly classOfId = new Map<string, string>();
  private readonly lastSize = new Map<string, number>();

  learn(invocations: readonly Invocation[]): void {
    for (const invocation of invocations) {
      for (const line of meterLines(invocation)) if (line.kind === "object" && line.id && line.owner) this.classOfId.set(line.id, line.owner);
    }
  }

  /** Per class key: the phase's database growth (raw, and net of a new object's empty page). Moves the baselines on. */
  growth(invocations: readonly Invocation[]): Record<string, { raw: number; net: number; largest: number }> {
    const last = new Map<string, { className: string; size: number }>();
    for (const invocation of invocations) {
      for (const line of meterLines(invocation)) {
        if (line.kind === "object" && line.id && line.owner && line.databaseBytes !== undefined) last.set(line.id, { className: line.owner, size: line.databaseBytes });
      }
    }
    const out: Record<string, { raw: number; net: number; largest: number }> = {};
    for (const [id, { className, size }] of last) {
      const key = objectClassKey(className);
      const entry = (out[key] ??= { raw: 0, net: 0, largest: 0 });
      entry.largest = Math.max(entry.largest, size);
      const before = this.lastSize.get(id);
      entry.raw += size - (before ?? 0);
      entry.net += size - (before ?? EMPTY_DATABASE_BYTES);
      this.lastSize.set(id, size);
    }
    return out;
  }
}

/**
 * The Worker of a stateless invocation: its script name where the runtime gives it (local workerd
 * does not), else the "[script]" wrangler puts first in each of its log lines, else the consumer of
 * its queue, else (a request with no log line) the Worker the bench sends its requests to.
 */
function workerOf(invocation: Invocation, context: MeterContext): string {
  const fromScript = (script: string | null | undefined) => (script ? context.workerOfScript[script] : undefined);
  const prefix = invocation.logs
    .map((entry) => (Array.isArray(entry) ? /^\[(.+)\]$/.exec(String((entry as unknown[])[0]))?.[1] : undefined))
    .find((name) => name !== undefined);
  return (
    fromScript(invocation.scriptName) ??
    fromScript(prefix) ??
    (invocation.event?.queue !== undefined ? context.consumerOfQueue[invocation.event.queue] : undefined) ??
    (invocation.event?.request !== undefined ? context.primaryWorker : undefined) ??
    "unknown"
  );
}

function eventKind(invocation: Invocation): string {
  const event = invocation.event ?? {};
  if (event.getWebSocketEvent) return `websocket_${event.getWebSocketEvent.webSocketEventType ?? "event"}`;
  if (event.rpcMethod !== undefined) return "rpc";
  if (event.queue !== undefined) return "queue";
  if (event.request !== undefined) return "fetch";
  if (event.cron !== undefined) return "scheduled";
  if (event.scheduledTime !== undefined) return "alarm";
  return "other";
}

/**
 * The totals of one phase's invocations. `consumerWallMs` is each queue's consumer invocations'
 * wall ms (wrangler's log), `cpuMs` each Worker's profiled CPU.
 */
export function phaseTotals(
  invocations: readonly Invocation[],
  context: MeterContext,
  ledger: ObjectLedger,
  consumerWallMs: Record<string, number[]> = {},
  cpuMs: Record<string, number> = {},
): PhaseTotals {
  ledger.learn(invocations);
  const totals = totalsFor(context);
  const worker = (name: string) => (totals.workers[name] ??= newWorker());
  const object = (key: string) => (totals.objects[key] ??= newObject());
  const queue = (key: string) => (totals.queues[key] ??= newQueue());
  const addSends = (host: string, sends: MeterLine["sends"]): number => {
    let calls = 0;
    for (const [binding, sent] of Object.entries(sends ?? {})) {
      const name = context.queueOfBinding[host]?.[binding] ?? binding;
      const q = queue(queueKey(name));
      q.writes += sent.messages;
      q.bytes += sent.bytes;
      q.largest = Math.max(q.largest, sent.largest);
      q.sendCalls += sent.calls;
      calls += sent.calls;
    }
    return calls;
  };

  for (const invocation of invocations) {
    const lines = meterLines(invocation);
    const kind = eventKind(invocation);
    const isObject = invocation.executionModel === "durableObject" || invocation.durableObjectId !== null;
    const className = isObject
      ? (invocation.entrypoint && context.workerOfClass[invocation.entrypoint] ? invocation.entrypoint : ledger.classOfId.get(invocation.durableObjectId ?? "")) ?? "unknown"
      : undefined;
    const workerName = workerOf(invocation, context);
    if (className !== undefined) {
      const o = object(objectClassKey(className));
      if (kind === "rpc") o.rpcCalls += 1;
      else if (kind === "fetch") o.fetches += 1;
      else if (kind === "alarm") o.alarms += 1;
    } else {
      const w = worker(workerName);
      w.invocations += 1;
      w.byEvent[kind] = (w.byEvent[kind] ?? 0) + 1;
    }
    for (const line of lines) {
      if (line.kind === "object" && line.owner) {
        const o = object(objectClassKey(line.owner));
        o.rowsRead += (line.rowsRead ?? 0) + (line.kvRowsRead ?? 0);
        o.rowsWritten += (line.rowsWritten ?? 0) + (line.kvRowsWritten ?? 0) + (line.alarmsSet ?? 0);
        o.alarmsSet += line.alarmsSet ?? 0;
        o.activeMs += line.activeMs ?? 0;
        o.websocketMessages += line.websocketMessages ?? 0;
        o.subrequests += addSends(context.workerOfClass[line.owner] ?? workerName, line.sends) + (line.objectCalls ?? 0);
        totals.dataPoints += line.dataPoints ?? 0;
      } else if (line.kind === "worker" && line.owner) {
        const w = worker(line.owner);
        w.queueSends += addSends(line.owner, line.sends);
        w.objectCalls += line.objectCalls ?? 0;
        totals.dataPoints += line.dataPoints ?? 0;
      } else if (line.kind === "fetch") {
        if (className !== undefined) object(objectClassKey(className)).subrequests += 1;
        else worker(workerName).fetches += 1;
      } else if (line.kind === "delivery" && line.queue) {
        const q = queue(queueKey(line.queue));
        q.reads += line.messages ?? 0;
        q.deletes += line.acked ?? 0;
        q.retries += line.retried ?? 0;
        q.consumerInvocations += 1;
        if (isDeadLetterQueue(line.queue)) {
          // A message's first delivery from a dead-letter queue is the one Queues moved there: a
          // write of the dead-letter queue, and a dead letter of the queue it came from.
          const arrived = (line.messages ?? 0) - (line.redelivered ?? 0);
          q.writes += arrived;
          queue(parseQueueName(line.queue).base).deadLetters += arrived;
        }
      }
    }
  }
  for (const [name, walls] of Object.entries(consumerWallMs)) queue(queueKey(name)).wallMs.push(...walls);
  for (const [name, ms] of Object.entries(cpuMs)) worker(name).cpuMs += ms;
  for (const [key, growth] of Object.entries(ledger.growth(invocations))) {
    object(key).storedRaw += growth.raw;
    object(key).storedNet += growth.net;
    object(key).largest = Math.max(object(key).largest, growth.largest);
  }
  // Dead-letter queues are their own family; make sure it shows when any queue dead-letters.
  if (Object.values(totals.queues).some((q) => q.deadLetters > 0)) queue(DEAD_LETTER_QUEUES_KEY);
  return totals;
}

/** Several phases' totals as one (the additive fields added, the samples behind the means pooled). */
export function mergeTotals(parts: readonly PhaseTotals[]): PhaseTotals {
  return combineTotals(parts.map((part) => [part, 1] as const));
}

/**
 * `a − scale × b`, field by field, never below 0 (what a new conversation adds: its phases less
 * its messages at the steady rate); the means stay those of `a`.
 */
export function subtractTotals(a: PhaseTotals, b: PhaseTotals, scale: number): PhaseTotals {
  const out = combineTotals([[a, 1], [b, -scale]]);
  const clamp = (record: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(record)) {
      if (typeof value === "number") record[name] = Math.max(0, value);
      else if (value && typeof value === "object" && !Array.isArray(value)) clamp(value as Record<string, unknown>);
    }
  };
  clamp(out as unknown as Record<string, unknown>);
  for (const [key, o] of Object.entries(out.objects)) o.largest = a.objects[key]?.largest ?? 0;
  for (const [key, q] of Object.entries(out.queues)) {
    q.largest = a.queues[key]?.largest ?? 0;
    q.wallMs = [...(a.queues[key]?.wallMs ?? [])];
  }
  return out;
}

function combineTotals(parts: ReadonlyArray<readonly [PhaseTotals, number]>): PhaseTotals {
  const out = emptyTotals();
  for (const [part, factor] of parts) {
    out.dataPoints += factor * part.dataPoints;
    for (const [name, w] of Object.entries(part.workers)) {
      const o = (out.workers[name] ??= newWorker());
      o.invocations += factor * w.invocations;
      o.queueSends += factor * w.queueSends;
      o.objectCalls += factor * w.objectCalls;
      o.fetches += factor * w.fetches;
      o.cpuMs += factor * w.cpuMs;
      for (const [event, n] of Object.entries(w.byEvent)) o.byEvent[event] = (o.byEvent[event] ?? 0) + factor * n;
    }
    for (const [key, t] of Object.entries(part.objects)) {
      const o = (out.objects[key] ??= newObject());
      for (const field of Object.keys(t) as (keyof ObjectTotals)[]) if (field !== "largest") o[field] += factor * t[field];
      if (factor > 0) o.largest = Math.max(o.largest, t.largest);
    }
    for (const [key, t] of Object.entries(part.queues)) {
      const o = (out.queues[key] ??= newQueue());
      o.writes += factor * t.writes;
      o.bytes += factor * t.bytes;
      o.sendCalls += factor * t.sendCalls;
      o.reads += factor * t.reads;
      o.deletes += factor * t.deletes;
      o.retries += factor * t.retries;
      o.deadLetters += factor * t.deadLetters;
      o.consumerInvocations += factor * t.consumerInvocations;
      if (factor > 0) {
        o.largest = Math.max(o.largest, t.largest);
        o.wallMs.push(...t.wallMs);
      }
    }
  }
  return out;
}

const mean = (values: readonly number[]) => (values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0);

/** The totals per unit (user message, conversation, failed turn): the figures turn-cost.json holds. */
export function perUnit(totals: PhaseTotals, units: number, context: MeterContext): TurnCostSample {
  const per = (value: number) => value / units;
  const workers: Record<string, WorkerMeter> = {};
  for (const [name, w] of Object.entries(totals.workers)) {
    const consumed = Object.entries(context.consumerOfQueue).filter(([, consumer]) => consumer === name).map(([queue]) => queueKey(queue));
    workers[name] = {
      invocations: per(w.invocations),
      invocations_by_event: Object.fromEntries(Object.entries(w.byEvent).map(([event, n]) => [event, per(n)])),
      cpu_ms: per(w.cpuMs),
      subrequests: per(w.queueSends + w.objectCalls + w.fetches),
      queue_sends: per(w.queueSends),
      object_calls: per(w.objectCalls),
      fetches: per(w.fetches),
      wall_ms_per_invocation: mean([...new Set(consumed)].flatMap((key) => totals.queues[key]?.wallMs ?? [])),
    };
  }
  const durableObjects: Record<string, ObjectClassMeter> = {};
  for (const [key, o] of Object.entries(totals.objects)) {
    durableObjects[key] = {
      requests: per(o.rpcCalls + o.fetches + o.alarms + o.websocketMessages / WEBSOCKET_MESSAGES_PER_REQUEST),
      rpc_calls: per(o.rpcCalls),
      fetches: per(o.fetches),
      alarm_invocations: per(o.alarms),
      websocket_messages: per(o.websocketMessages),
      active_ms: per(o.activeMs),
      rows_read: per(o.rowsRead),
      rows_written: per(o.rowsWritten),
      alarms_set: per(o.alarmsSet),
      stored_bytes: Math.max(0, per(o.storedRaw)),
      stored_bytes_net: Math.max(0, per(o.storedNet)),
      largest_object_bytes: o.largest,
      subrequests: per(o.subrequests),
    };
  }
  const queues: Record<string, QueueMeter> = {};
  for (const [key, q] of Object.entries(totals.queues)) {
    queues[key] = {
      writes: per(q.writes),
      reads: per(q.reads),
      deletes: per(q.deletes),
      retries: per(q.retries),
      dead_letters: per(q.deadLetters),
      bytes_written: per(q.bytes),
      message_bytes: q.writes > 0 ? q.bytes / q.writes : 0,
      largest_message_bytes: q.largest,
      send_calls: per(q.sendCalls),
      consumer_invocations: per(q.consumerInvocations),
      wall_ms_per_invocation: mean(q.wallMs),
    };
  }
  return { workers, durable_objects: durableObjects, queues, analytics_data_points: per(totals.dataPoints) };
}
