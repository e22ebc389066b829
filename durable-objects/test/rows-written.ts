// Shared by the Durable Objects' workerd tests: the rows an object's SQL statements read and write
// while a call runs, as Cloudflare meters them (each cursor's own rowsRead and rowsWritten), and the
// tables an object holds.
import { runInDurableObject } from "cloudflare:test";
import { vi } from "vitest";

/**
 * Counts the rows every SQL statement of the object behind `stub` reads and writes while `run` runs.
 * Changes an object writes once a call's synchronous work is done (the conversation's record) land
 * before the count. A cursor's rows read count as it is consumed, so they are summed after the call.
 */
export async function rowsMeteredBy<T extends Rpc.DurableObjectBranded | undefined>(
  stub: DurableObjectStub<T>,
  run: () => Promise<unknown>,
): Promise<{ read: number; written: number }> {
  const { seen, spy } = await runInDurableObject(stub, (_instance, state) => {
    const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
    const exec = state.storage.sql.exec.bind(state.storage.sql);
    const execSpy = vi.spyOn(state.storage.sql, "exec").mockImplementation((query: string, ...bindings: SqlStorageValue[]) => {
      const cursor = exec(query, ...bindings);
      cursors.push(cursor);
      return cursor;
    });
    return { seen: cursors, spy: execSpy };
  });
  try {
    await run();
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    spy.mockRestore();
  }
  return {
    read: seen.reduce((sum, cursor) => sum + cursor.rowsRead, 0),
    written: seen.reduce((sum, cursor) => sum + cursor.rowsWritten, 0),
  };
}

/** The object's own tables in its SQLite storage (not SQLite's `sqlite_…` nor Cloudflare's `_cf_…`), in the order they were made. */
export function tablesOf(sql: SqlStorage): string[] {
  return sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'")
    .toArray()
    .map((row) => row.name);
}

/** The rows written while `run` runs (`rowsMeteredBy`). */
export async function rowsWrittenBy<T extends Rpc.DurableObjectBranded | undefined>(stub: DurableObjectStub<T>, run: () => Promise<unknown>): Promise<number> {
  return (await rowsMeteredBy(stub, run)).written;
}
