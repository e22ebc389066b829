// The meters `npm run bench:turn-cost` puts inside the Workers. Nothing here runs in production: the
// bench runs each Worker from an entry it generates (bench/metered-entries.ts) that re-exports the
// real Worker with
//   - every Durable Object class it hosts wrapped by `meterObjectClass`: the SQL cursors' own
//     rowsRead/rowsWritten, setAlarm() calls and key-value storage calls (billed as rows), the
//     database's size, the time at least one call runs (billed duration), WebSocket messages;
//   - its default handler wrapped by `meterWorker`: each queue delivery's messages, acks and
//     retries, and the Worker's bindings metered (`meteredEnv`): queue sends per binding with their
//     bytes, Durable Object calls and fetches (subrequests), Analytics Engine data points.
// What is counted is logged as one JSON line (`bench_meter`) at the end of the synchronous block
// that counted it, inside the invocation that did the work, where the bench's tail Worker picks it
// up (bench/workers/trace-forwarder.ts). Nothing is metered per class or per queue by name: a class
// or a queue binding added later is metered the same way.

import { Meter, countSend, logDelivery, logFetch } from "./meter-counters.ts";

// ---- bindings

/**
 * An RPC stub (a service binding, a Durable Object stub, the local rate limiter) answers `in` for
 * every name, so it would pass for a queue or a dataset: such bindings are not taken for one.
 */
function answersEveryName(value: object): boolean {
  return "stratus_bench_no_such_member" in value;
}

const isObject = (value: unknown): value is object => typeof value === "object" && value !== null;
const hasFunctions = (value: unknown, ...names: string[]): boolean =>
  isObject(value) && !answersEveryName(value) && names.every((name) => typeof (value as Record<string, unknown>)[name] === "function");

function meteredQueue(queue: Queue, binding: string, meter: Meter): Queue {
  return new Proxy(queue, {
    get(target, property) {
      if (property === "send") {
        return (body: unknown, options?: QueueSendOptions) => {
          countSend(meter, binding, [body]);
          return target.send(body, options);
        };
      }
      if (property === "sendBatch") {
        return (messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) => {
          const list = [...messages];
          countSend(meter, binding, list.map((message) => message.body));
          return target.sendBatch(list, options);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function meteredDataset(dataset: AnalyticsEngineDataset, meter: Meter): AnalyticsEngineDataset {
  return {
    writeDataPoint(point?: AnalyticsEngineDataPoint) {
      meter.counters.dataPoints += 1;
      meter.touch();
      dataset.writeDataPoint(point);
    },
  };
}

/** A Durable Object stub whose method calls (each one billed request, one subrequest of the caller) are counted. */
function meteredStub(stub: object, meter: Meter): object {
  return new Proxy(stub, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function" || typeof property !== "string") return value;
      return (...args: unknown[]) => {
        meter.counters.objectCalls += 1;
        meter.touch();
        // Reflect.apply, not value.apply: a stub's property answers every name, "apply" included (an RPC call).
        return Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
      };
    },
  });
}

/** A Durable Object namespace whose stubs are metered (its jurisdiction() sub-namespaces too). */
function meteredNamespace(namespace: object, meter: Meter): object {
  return new Proxy(namespace, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      const method = value as (...a: unknown[]) => unknown;
      if (property === "get" || property === "getByName") return (...args: unknown[]) => meteredStub(method.apply(target, args) as object, meter);
      if (property === "jurisdiction") return (...args: unknown[]) => meteredNamespace(method.apply(target, args) as object, meter);
      return method.bind(target);
    },
  });
}

/** The runtime hands an isolate the same env object each time: each owner wraps it once (parsed-env caches key on it). */
const wrappedEnvs = new WeakMap<object, Map<Meter, object>>();

export function meteredEnv<Env extends object>(env: Env, meter: Meter): Env {
  const byMeter = wrappedEnvs.get(env) ?? new Map<Meter, object>();
  wrappedEnvs.set(env, byMeter);
  const cached = byMeter.get(meter);
  if (cached) return cached as Env;
  const wrapped: Record<string, unknown> = {};
  for (const [name, binding] of Object.entries(env)) {
    if (hasFunctions(binding, "send", "sendBatch")) wrapped[name] = meteredQueue(binding as Queue, name, meter);
    else if (hasFunctions(binding, "writeDataPoint")) wrapped[name] = meteredDataset(binding as AnalyticsEngineDataset, meter);
    else if (hasFunctions(binding, "idFromName", "get")) wrapped[name] = meteredNamespace(binding as object, meter);
    else wrapped[name] = binding;
  }
  byMeter.set(meter, wrapped);
  return wrapped as Env;
}

// ---- outgoing fetches (the isolate's global fetch: counted in whichever invocation makes them)

let fetchPatched = false;
function meterFetches(): void {
  if (fetchPatched) return;
  fetchPatched = true;
  const original = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    logFetch();
    return original(input, init);
  };
}

// ---- Durable Object classes

const objectMeters = new WeakMap<DurableObjectState, Meter>();
/** The table miniflare's Durable Object wrapper (do-wrapper.worker.js) keeps an object's name in. */
const LOCAL_NAME_TABLE = "__miniflare_do_name";

/**
 * Counts the object's `storage.sql.exec` cursors, `setAlarm` calls and key-value calls. The runtime
 * accepts only its own state object, so the meter goes onto that object's storage.
 */
function instrument(ctx: DurableObjectState, className: string): Meter {
  const existing = objectMeters.get(ctx);
  if (existing) return existing;
  const storage = ctx.storage;
  const meter = new Meter({ kind: "object", name: className }, storage, ctx.id.toString());
  objectMeters.set(ctx, meter);
  const { sql } = storage;
  const exec = sql.exec.bind(sql);
  Object.defineProperty(sql, "exec", {
    value: (query: string, ...bindings: SqlStorageValue[]) => {
      const cursor = exec(query, ...bindings);
      // Local workerd's wrapper names an object reached by name in a table of its own, at every
      // start (a table created and a row replaced: 3 rows written); no deployed object does.
      if (query.includes(LOCAL_NAME_TABLE)) return cursor;
      meter.cursors.push({ cursor, read: 0, written: 0, age: 0 });
      meter.touch();
      return cursor;
    },
  });
  const patchOn = (target: object, name: string, count: (args: unknown[], meter: Meter) => void) => {
    const original = (target as Record<string, unknown>)[name];
    if (typeof original !== "function") return;
    const bound = (original as (...args: unknown[]) => unknown).bind(target);
    Object.defineProperty(target, name, {
      value: (...args: unknown[]) => {
        count(args, meter);
        meter.touch();
        return bound(...args);
      },
    });
  };
  const patch = (name: string, count: (args: unknown[], meter: Meter) => void) => patchOn(storage, name, count);
  const keys = (arg: unknown) => (Array.isArray(arg) ? arg.length : 1);
  patch("setAlarm", (_, m) => (m.counters.alarmsSet += 1));
  patch("get", ([key], m) => (m.counters.kvRowsRead += keys(key)));
  patch("put", ([key], m) => (m.counters.kvRowsWritten += typeof key === "string" ? 1 : Object.keys(key as object).length));
  patch("delete", ([key], m) => (m.counters.kvRowsWritten += keys(key)));
  // The synchronous key-value API of SQLite-backed objects (ctx.storage.kv), billed as rows alike.
  let kv: object | undefined;
  try {
    kv = (storage as { kv?: object }).kv;
  } catch {
    kv = undefined; // a key-value-backed object has none
  }
  if (kv) {
    patchOn(kv, "get", (_, m) => (m.counters.kvRowsRead += 1));
    patchOn(kv, "put", (_, m) => (m.counters.kvRowsWritten += 1));
    patchOn(kv, "delete", (_, m) => (m.counters.kvRowsWritten += 1));
  }
  return meter;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> => isObject(value) && typeof (value as { then?: unknown }).then === "function";

/** Methods of a class and its ancestors up to (not including) Object.prototype, nearest first. */
function methodNames(prototype: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const name of Object.getOwnPropertyNames(p)) {
      const descriptor = Object.getOwnPropertyDescriptor(p, name);
      if (name !== "constructor" && typeof descriptor?.value === "function") names.add(name);
    }
  }
  return [...names];
}

type ObjectClass<Env, T> = new (ctx: DurableObjectState, env: Env) => T;

/**
 * The class with every call into an object metered: RPC methods, fetch, alarm and the WebSocket
 * handlers (and the object's calls on itself, which only extend the time a call runs). A sync method
 * stays sync. The object's env is metered too (its queue sends, calls to other objects).
 */
export function meterObjectClass<Env extends object, T extends object>(Base: ObjectClass<Env, T>, className: string): ObjectClass<Env, T> {
  meterFetches();
  const Metered = class extends (Base as ObjectClass<Env, object>) {
    constructor(ctx: DurableObjectState, env: Env) {
      const meter = instrument(ctx, className);
      super(ctx, meteredEnv(env, meter));
    }
  };
  for (const name of methodNames(Base.prototype as object)) {
    const method = (Base.prototype as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
    Object.defineProperty(Metered.prototype, name, {
      configurable: true,
      writable: true,
      value(this: { ctx?: DurableObjectState }, ...args: unknown[]): unknown {
        const meter = this.ctx ? objectMeters.get(this.ctx) : undefined;
        if (!meter) return method.apply(this, args);
        if (name === "webSocketMessage") meter.counters.websocketMessages += 1;
        meter.enter();
        let result: unknown;
        try {
          result = method.apply(this, args);
        } catch (error) {
          meter.exit();
          throw error;
        }
        if (!isThenable(result)) {
          meter.exit();
          return result;
        }
        return Promise.resolve(result).finally(() => meter.exit());
      },
    });
  }
  return Metered as ObjectClass<Env, T>;
}

// ---- Worker handlers

const workerMeters = new Map<string, Meter>();
const workerMeter = (worker: string): Meter => {
  const meter = workerMeters.get(worker) ?? new Meter({ kind: "worker", name: worker });
  workerMeters.set(worker, meter);
  return meter;
};

/**
 * A queue batch whose messages' fates are recorded: acked or retried explicitly, or (when the
 * handler returns or throws without saying) implicitly, as Queues does: all acked on success, the
 * rest retried on a throw.
 */
function meteredBatch(batch: MessageBatch<unknown>): { batch: MessageBatch<unknown>; settle(succeeded: boolean): void } {
  const fate = new Map<string, "ack" | "retry">();
  const decide = (id: string, outcome: "ack" | "retry") => {
    if (!fate.has(id)) fate.set(id, outcome);
  };
  const messages = batch.messages.map(
    (message) =>
      new Proxy(message, {
        get(target, property) {
          if (property === "ack") return () => (decide(target.id, "ack"), target.ack());
          if (property === "retry") return (options?: QueueRetryOptions) => (decide(target.id, "retry"), target.retry(options));
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }),
  );
  const wrapped = new Proxy(batch, {
    get(target, property) {
      if (property === "messages") return messages;
      if (property === "ackAll") return () => (target.messages.forEach((m) => decide(m.id, "ack")), target.ackAll());
      if (property === "retryAll") return (options?: QueueRetryOptions) => (target.messages.forEach((m) => decide(m.id, "retry")), target.retryAll(options));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    batch: wrapped,
    settle(succeeded) {
      let acked = 0;
      let retried = 0;
      for (const message of batch.messages) {
        const outcome = fate.get(message.id) ?? (succeeded ? "ack" : "retry");
        if (outcome === "ack") acked += 1;
        else retried += 1;
      }
      const redelivered = batch.messages.filter((m) => m.attempts > 1).length;
      logDelivery(batch.queue, batch.messages.length, acked, retried, redelivered);
    },
  };
}

/** The Worker's default handler with its env metered and each queue delivery's outcome logged. */
export function meterWorker<Env extends object>(handler: ExportedHandler<Env, unknown>, worker: string): ExportedHandler<Env, unknown> {
  meterFetches();
  // A class default export (a WorkerEntrypoint) runs as it is: its objects and fetches are still
  // metered, its own bindings and queue deliveries are not (the bench's report shows no sends for it).
  if (typeof handler === "function") return handler;
  const meter = workerMeter(worker);
  const out: ExportedHandler<Env, unknown> = { ...handler };
  const { fetch, queue, scheduled } = handler;
  if (fetch) out.fetch = (request, env, ctx) => fetch.call(handler, request, meteredEnv(env, meter), ctx);
  if (scheduled) out.scheduled = (controller, env, ctx) => scheduled.call(handler, controller, meteredEnv(env, meter), ctx);
  if (queue) {
    out.queue = async (batch, env, ctx) => {
      const metered = meteredBatch(batch);
      try {
        await queue.call(handler, metered.batch, meteredEnv(env, meter), ctx);
      } catch (error) {
        metered.settle(false);
        throw error;
      }
      metered.settle(true);
    };
  }
  return out;
}
