import type { UserConversation } from "../../../../shared/schemas/index.ts";
import { MAX_DIRECTORY_IDS_PER_CALL } from "../../../../shared/schemas/index.ts";
import { directoryShardOf, directoryStub } from "../directory-stub.ts";

/** One call per directory shard holding some of the conversations' entries (per 1,000 of them), with their ids. */
export function byDirectoryShard<Result>(
  env: GatewayEnv,
  conversations: readonly Pick<UserConversation, "id" | "bot">[],
  call: (stub: ReturnType<typeof directoryStub>, ids: string[], shard: { bot: string; shard: number }) => Promise<Result>,
): Promise<Result[]> {
  const groups = new Map<string, { bot: string; shard: number; ids: string[] }>();
  for (const { id, bot } of conversations) {
    const shard = directoryShardOf(env, id);
    const key = `${bot}#${shard}`;
    const group = groups.get(key) ?? { bot, shard, ids: [] };
    group.ids.push(id);
    groups.set(key, group);
  }
  const calls = [...groups.values()].flatMap((group) =>
    Array.from({ length: Math.ceil(group.ids.length / MAX_DIRECTORY_IDS_PER_CALL) }, (_, chunk) => ({
      ...group,
      ids: group.ids.slice(chunk * MAX_DIRECTORY_IDS_PER_CALL, (chunk + 1) * MAX_DIRECTORY_IDS_PER_CALL),
    })),
  );
  return Promise.all(calls.map((group) => call(directoryStub(env, group.bot, group.shard), group.ids, { bot: group.bot, shard: group.shard })));
}
