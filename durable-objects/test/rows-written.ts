// Shared by the Durable Objects' workerd tests: the rows an object's SQL statements write while a call
// runs, as Cloudflare meters them (each cursor's own rowsWritten).
import { runInDurableObject } from "cloudflare:test";
import { vi } from "vitest";

/**
 * Counts the rows every SQL statement of the object behind `stub` writes while `run` runs. Changes an
 * object writes once a call's synchronous work is done (the conversation's record) land before the count.
 */
export async function rowsWrittenBy<T extends Rpc.DurableObjectBranded | undefined>(stub: DurableObjectStub<T>, run: () => Promise<unknown>): Promise<number> {
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
  return seen.reduce((sum, cursor) => sum + cursor.rowsWritten, 0);
}
