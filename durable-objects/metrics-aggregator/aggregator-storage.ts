import { MetricSeriesSchema, type MetricSeries } from "../../shared/schemas/metrics.ts";

/**
 * The aggregator shard's SQLite tables: the totals of every series, and for every isolate that
 * flushed here the seq of the last flush applied (what makes a resent flush count once).
 * Idempotent statements, run on every start of the object.
 */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS series (key TEXT PRIMARY KEY, body TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, seen_at INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS sources_seen_at ON sources (seen_at)`,
] as const;

export class AggregatorStorage {
  constructor(private readonly storage: DurableObjectStorage) {
    for (const statement of SCHEMA) storage.sql.exec(statement);
  }

  /** Every stored total, validated (a row that does not parse is a bug to see, not to skip). */
  loadSeries(): Map<string, MetricSeries> {
    const rows = this.storage.sql.exec<{ key: string; body: string }>("SELECT key, body FROM series").toArray();
    return new Map(rows.map((row) => [row.key, MetricSeriesSchema.parse(JSON.parse(row.body))]));
  }

  loadSources(): Map<string, number> {
    const rows = this.storage.sql.exec<{ source: string; last_seq: number }>("SELECT source, last_seq FROM sources").toArray();
    return new Map(rows.map((row) => [row.source, row.last_seq]));
  }

  /** Writes every change of one flush, or none of them. */
  transaction(write: () => void): void {
    this.storage.transactionSync(write);
  }

  writeSeries(key: string, series: MetricSeries): void {
    this.storage.sql.exec(
      "INSERT INTO series (key, body) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET body = excluded.body",
      key,
      JSON.stringify(series),
    );
  }

  writeSource(source: string, lastSeq: number, seenAt: number): void {
    this.storage.sql.exec(
      "INSERT INTO sources (source, last_seq, seen_at) VALUES (?, ?, ?) ON CONFLICT (source) DO UPDATE SET last_seq = excluded.last_seq, seen_at = excluded.seen_at",
      source,
      lastSeq,
      seenAt,
    );
  }

  /** Forgets isolates not heard from since `before`; returns the ones forgotten. */
  forgetSourcesSeenBefore(before: number): string[] {
    return this.storage.sql
      .exec<{ source: string }>("DELETE FROM sources WHERE seen_at < ? RETURNING source", before)
      .toArray()
      .map((row) => row.source);
  }
}
