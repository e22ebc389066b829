// The meters' counting and logging, apart from the wrappers that call it (meter.ts): the bench
// leaves this module's CPU (and what it calls: JSON.stringify, console.log) out of each Worker's
// CPU figure, so the figures are the Workers' own (bench/turn-cost.ts). Nothing here runs in production.

export const METER_EVENT = "bench_meter";

/** What one owner (a Worker's handlers, or one Durable Object) did since its last line. */
interface Counters {
  rowsRead: number;
  rowsWritten: number;
  alarmsSet: number;
  /** Key-value storage calls on a SQLite-backed object: billed as rows read and written, one per key. */
  kvRowsRead: number;
  kvRowsWritten: number;
  /** Per producer binding: send/sendBatch calls, messages, bytes of JSON bodies, the largest body. */
  sends: Record<string, { calls: number; messages: number; bytes: number; largest: number }>;
  objectCalls: number;
  fetches: number;
  dataPoints: number;
  activeMs: number;
  websocketMessages: number;
}

const emptyCounters = (): Counters => ({
  rowsRead: 0,
  rowsWritten: 0,
  alarmsSet: 0,
  kvRowsRead: 0,
  kvRowsWritten: 0,
  sends: {},
  objectCalls: 0,
  fetches: 0,
  dataPoints: 0,
  activeMs: 0,
  websocketMessages: 0,
});

/** How many flushes a cursor is kept for after it was made (one read lazily, after an await, is still counted). */
const CURSOR_GENERATIONS = 3;

interface TrackedCursor {
  cursor: SqlStorageCursor<Record<string, SqlStorageValue>>;
  read: number;
  written: number;
  age: number;
}

/** The one page local workerd's object-name table takes. */
const LOCAL_NAME_TABLE_BYTES = 4096;

/** One owner's meter: counters, the cursors it still watches, and whether a line is due. */
export class Meter {
  counters = emptyCounters();
  cursors: TrackedCursor[] = [];
  private due = false;
  private running = 0;
  private activeSince = 0;

  /** The storage's own exec, kept before the meter wraps it: what the meter reads is not the object's. */
  private readonly unmeteredExec: SqlStorage["exec"] | undefined;

  constructor(
    readonly owner: { kind: "worker" | "object"; name: string },
    private readonly storage?: DurableObjectStorage,
    private readonly objectId?: string,
  ) {
    this.unmeteredExec = storage ? storage.sql.exec.bind(storage.sql) : undefined;
  }

  /**
   * The database's size as Cloudflare would bill it: less the page of the table local workerd adds to
   * name an object reached by name (`__miniflare_do_name`, one row), which no deployed object has.
   */
  private databaseBytes(): number {
    if (!this.storage || !this.unmeteredExec) return 0;
    const size = this.storage.sql.databaseSize;
    const named = this.unmeteredExec("SELECT 1 FROM sqlite_master WHERE name = '__miniflare_do_name'").toArray().length > 0;
    return named ? size - LOCAL_NAME_TABLE_BYTES : size;
  }

  /** Something was counted: a line is written once the current synchronous block is done. */
  touch(): void {
    if (this.due) return;
    this.due = true;
    queueMicrotask(() => this.flush());
  }

  enter(): void {
    if (this.running++ === 0) this.activeSince = Date.now();
  }

  exit(): void {
    if (--this.running === 0) this.counters.activeMs += Date.now() - this.activeSince;
    this.touch();
  }

  flush(): void {
    this.due = false;
    const c = this.counters;
    for (const tracked of this.cursors) {
      c.rowsRead += tracked.cursor.rowsRead - tracked.read;
      c.rowsWritten += tracked.cursor.rowsWritten - tracked.written;
      tracked.read = tracked.cursor.rowsRead;
      tracked.written = tracked.cursor.rowsWritten;
      tracked.age += 1;
    }
    this.cursors = this.cursors.filter((tracked) => tracked.age < CURSOR_GENERATIONS);
    const line: Record<string, unknown> = { event: METER_EVENT, kind: this.owner.kind, owner: this.owner.name };
    if (this.objectId !== undefined) {
      line.id = this.objectId;
      line.databaseBytes = this.databaseBytes();
    }
    for (const [name, value] of Object.entries(c) as Array<[string, number | object]>) {
      if (typeof value === "number" ? value !== 0 : Object.keys(value).length > 0) line[name] = value;
    }
    console.log(JSON.stringify(line));
    this.counters = emptyCounters();
  }
}

const bodyBytes = (body: unknown): number => {
  try {
    return JSON.stringify(body)?.length ?? 0;
  } catch {
    return 0;
  }
};

export function countSend(meter: Meter, binding: string, bodies: unknown[]): void {
  const entry = (meter.counters.sends[binding] ??= { calls: 0, messages: 0, bytes: 0, largest: 0 });
  entry.calls += 1;
  entry.messages += bodies.length;
  for (const body of bodies) {
    const bytes = bodyBytes(body);
    entry.bytes += bytes;
    entry.largest = Math.max(entry.largest, bytes);
  }
  meter.touch();
}


/** One line for an outgoing fetch, in whichever invocation makes it. */
export function logFetch(): void {
  console.log(JSON.stringify({ event: METER_EVENT, kind: "fetch", fetches: 1 }));
}

/** One line for a queue delivery: its messages and their fates. */
export function logDelivery(queue: string, messages: number, acked: number, retried: number, redelivered: number): void {
  console.log(JSON.stringify({ event: METER_EVENT, kind: "delivery", queue, messages, acked, retried, redelivered }));
}
