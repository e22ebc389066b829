import { z } from "zod";
import { MetricSeriesSchema, type MetricSeries } from "../../shared/schemas/metrics.ts";

/**
 * The aggregator shard's SQLite storage: its whole state — the totals of every series, and for every
 * isolate that flushed here the seq of its last applied flush (what makes a resent flush count once)
 * and when it was seen — written as one JSON document after each flush, in as few rows as it takes
 * (`state` rows of at most PIECE_CHARS characters; one for any shard the catalogue's bounded labels
 * produce). Cloudflare bills rows written, not bytes: a flush that changes fifteen series costs one
 * row, not sixteen (issue #17). A shard's state is tens of kilobytes, so rewriting it is cheap.
 */
const SCHEMA = [`CREATE TABLE IF NOT EXISTS state (piece INTEGER PRIMARY KEY, body TEXT NOT NULL)`] as const;

/** Far under SQLite's and Cloudflare's 2 MB row limit. */
const PIECE_CHARS = 1_000_000;

const StoredStateSchema = z.object({
  series: z.array(MetricSeriesSchema),
  /** Per isolate: the last flush seq applied, and when it was seen (ms). */
  sources: z.record(z.string(), z.tuple([z.number().int().nonnegative(), z.number().nonnegative()])),
});

export interface SourceMark {
  seq: number;
  seenAt: number;
}

export interface AggregatorState {
  series: Map<string, MetricSeries>;
  sources: Map<string, SourceMark>;
}

export class AggregatorStorage {
  constructor(private readonly storage: DurableObjectStorage) {
    for (const statement of SCHEMA) storage.sql.exec(statement);
    this.convertPerRowTables();
  }

  /** The stored state, validated (a row that does not parse is a bug to see, not to skip). */
  load(seriesKey: (series: MetricSeries) => string): AggregatorState {
    const pieces = this.storage.sql.exec<{ body: string }>("SELECT body FROM state ORDER BY piece").toArray();
    if (pieces.length === 0) return { series: new Map(), sources: new Map() };
    const stored = StoredStateSchema.parse(JSON.parse(pieces.map((piece) => piece.body).join("")));
    return {
      series: new Map(stored.series.map((series) => [seriesKey(series), series])),
      sources: new Map(Object.entries(stored.sources).map(([source, [seq, seenAt]]) => [source, { seq, seenAt }])),
    };
  }

  /** Writes the whole state in one transaction: every change of one flush, or none of them. */
  save(state: AggregatorState): void {
    const json = JSON.stringify({
      series: [...state.series.values()],
      sources: Object.fromEntries([...state.sources].map(([source, mark]) => [source, [mark.seq, mark.seenAt]])),
    });
    this.storage.transactionSync(() => {
      let piece = 0;
      for (let at = 0; at < json.length; at += PIECE_CHARS, piece++) {
        this.storage.sql.exec(
          "INSERT INTO state (piece, body) VALUES (?, ?) ON CONFLICT (piece) DO UPDATE SET body = excluded.body",
          piece,
          json.slice(at, at + PIECE_CHARS),
        );
      }
      this.storage.sql.exec("DELETE FROM state WHERE piece >= ?", piece);
    });
  }

  /**
   * A shard that stored a row per series and per isolate (before the state document): its rows
   * become the document, once, and the old tables go.
   */
  private convertPerRowTables(): void {
    const sql = this.storage.sql;
    const tables = new Set(sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray().map((row) => row.name));
    if (!tables.has("series")) return;
    this.storage.transactionSync(() => {
      const series = new Map(
        sql
          .exec<{ key: string; body: string }>("SELECT key, body FROM series")
          .toArray()
          .map((row) => [row.key, MetricSeriesSchema.parse(JSON.parse(row.body))]),
      );
      const sources = new Map(
        tables.has("sources")
          ? sql
              .exec<{ source: string; last_seq: number; seen_at: number }>("SELECT source, last_seq, seen_at FROM sources")
              .toArray()
              .map((row) => [row.source, { seq: row.last_seq, seenAt: row.seen_at }])
          : [],
      );
      this.save({ series, sources });
      sql.exec("DROP TABLE series");
      sql.exec("DROP TABLE IF EXISTS sources");
    });
  }
}
