// `npm run bench:turn-cost` runs the gateway from this entry: the real gateway Worker (its bindings
// metered as in metered-env.ts), and the real
// conversation Durable Object with a meter around it. The meter counts what Cloudflare bills the
// object for — SQLite rows read and written (the SQL cursors' own rowsRead/rowsWritten), setAlarm()
// calls (billed as a row written each), the time at least one call is running (billed duration) —
// and logs it after each call, where the benchmark's tail Worker picks it up. Nothing here runs in
// production.
import gateway, { ConversationDurableObject } from "../../workers/gateway/src/index.ts";
import { meteredEnv } from "./metered-env.ts";

interface Meter {
  cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[];
  alarmsSet: number;
  running: number;
  activeSince: number;
  activeMs: number;
}

const meters = new WeakMap<DurableObjectState, Meter>();

/**
 * Counts the object's `storage.sql.exec` cursors and `storage.setAlarm` calls. The runtime accepts
 * only its own state object, so the meter goes onto that object's storage rather than a wrapper.
 */
function instrument(ctx: DurableObjectState): DurableObjectState {
  const meter: Meter = { cursors: [], alarmsSet: 0, running: 0, activeSince: 0, activeMs: 0 };
  const { sql } = ctx.storage;
  const exec = sql.exec.bind(sql);
  Object.defineProperty(sql, "exec", {
    value: (query: string, ...bindings: SqlStorageValue[]) => {
      const cursor = exec(query, ...bindings);
      meter.cursors.push(cursor);
      return cursor;
    },
  });
  const setAlarm = ctx.storage.setAlarm.bind(ctx.storage);
  Object.defineProperty(ctx.storage, "setAlarm", {
    value: (at: number | Date, options?: DurableObjectSetAlarmOptions) => {
      meter.alarmsSet += 1;
      return setAlarm(at, options);
    },
  });
  meters.set(ctx, meter);
  return ctx;
}

class MeteredConversationDurableObject extends ConversationDurableObject {
  readonly meter: Meter;
  readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(instrument(ctx), meteredEnv(env));
    this.meter = meters.get(ctx)!;
    this.sql = ctx.storage.sql;
  }

  /** Whether a metered call is running (the object calling its own methods). */
  insideCall(): boolean {
    return this.meter.running > 0;
  }

  /** Runs one call of the object with the meter on, then logs what the object used since the last log. */
  async metered<T>(call: string, run: () => T | Promise<T>): Promise<T> {
    const meter = this.meter;
    if (meter.running++ === 0) meter.activeSince = Date.now();
    try {
      return await run();
    } finally {
      if (--meter.running === 0) meter.activeMs += Date.now() - meter.activeSince;
      const rowsRead = meter.cursors.reduce((sum, cursor) => sum + cursor.rowsRead, 0);
      const rowsWritten = meter.cursors.reduce((sum, cursor) => sum + cursor.rowsWritten, 0);
      console.log(
        JSON.stringify({
          event: "bench_meter",
          call,
          rowsRead,
          rowsWritten,
          alarmsSet: meter.alarmsSet,
          activeMs: meter.activeMs,
          databaseBytes: this.sql.databaseSize,
        }),
      );
      meter.cursors = [];
      meter.alarmsSet = 0;
      meter.activeMs = 0;
    }
  }
}

// Every call into the object (RPC, fetch, alarm, WebSocket handlers) goes through the meter. A
// method the object calls on itself during a call (its helpers, some of which return values
// synchronously) runs as it is: the outer call's meter already counts it.
const prototype = ConversationDurableObject.prototype as unknown as Record<string, unknown>;
for (const name of Object.getOwnPropertyNames(ConversationDurableObject.prototype)) {
  const method = prototype[name];
  if (name === "constructor" || typeof method !== "function") continue;
  Object.defineProperty(MeteredConversationDurableObject.prototype, name, {
    value(this: MeteredConversationDurableObject, ...args: unknown[]) {
      const run = () => (method as (...a: unknown[]) => unknown).apply(this, args);
      return this.insideCall() ? run() : this.metered(name, run);
    },
  });
}

export { MeteredConversationDurableObject as ConversationDurableObject };
// The platform's other objects, unmetered: the gateway's config binds them, so its entry must export them.
export { BotAnalyticsDurableObject, ConversationDirectoryDurableObject, DeadLetterRegistry } from "../../workers/gateway/src/index.ts";
export default {
  fetch: (request, env, ctx) => gateway.fetch(request, meteredEnv(env), ctx),
  queue: (batch, env, ctx) => gateway.queue(batch, meteredEnv(env), ctx),
} satisfies ExportedHandler<GatewayEnv, unknown>;
