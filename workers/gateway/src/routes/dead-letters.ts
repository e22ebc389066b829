import { createRoute, z } from "@hono/zod-openapi";
import {
  DeadLetterListQuerySchema,
  DeadLetterListSchema,
  DeadLetterParamsSchema,
  DeadLetterSchema,
  NoQuerySchema,
  TurnStatesSchema,
  type DeadLetter,
  type StoredDeadLetter,
} from "../../../../shared/schemas/index.ts";
import { requireOperatorKey } from "../auth/require-operator-key.ts";
import {
  conversationStub,
  DEAD_LETTER_ID_SHARDS,
  deadLetterLocation,
  deadLetterRegistry,
  deadLetterShards,
  publicDeadLetter,
} from "../conversation-stub.ts";
import { ApiError } from "../errors.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

const listDeadLetters = createRoute({
  method: "get",
  path: "/v1/dead-letters",
  operationId: "listDeadLetters",
  summary: "Operator: dead-lettered turns, newest first, paged",
  description:
    "One record per turn whose queue retries ran out, from every dead-letter queue (and every shard of the registry, merged by id): conversation, seq, stage, dispatches, " +
    "when. No message text (read the conversation with the operator key) and no token. `turn`, `replayable`, `deliveries` " +
    "and `lastError` are the turn's conversation's answer at the time of the request.",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey] as const,
  request: { query: DeadLetterListQuerySchema },
  responses: {
    200: { description: "A page of dead letters", content: { "application/json": { schema: DeadLetterListSchema } } },
    ...errorResponses.pick(401),
  },
});

const replayDeadLetter = createRoute({
  method: "post",
  path: "/v1/dead-letters/{deadLetterId}/replay",
  operationId: "replayDeadLetter",
  summary: "Operator: run a dead-lettered turn through the pipeline again",
  description:
    "Accepted only for a turn whose user got the pipeline fallback, while the bot has the conversation (not during a handoff). " +
    "The turn is queued again with a fresh budget of dispatches; its answer reaches the user as a follow-up reply to the same " +
    "message, marked `replayed: true`, after the fallback they already have. A replay that fails too says nothing new to the " +
    "user and leaves the turn replayable; once answered it cannot be replayed again (409).",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey] as const,
  request: { params: DeadLetterParamsSchema, query: NoQuerySchema },
  responses: {
    202: { description: "Replay accepted", content: { "application/json": { schema: z.object({ deadLetter: DeadLetterSchema }) } } },
    ...errorResponses.pick(401, 404, 409),
  },
});

export const deadLetterRoutes = newRouter()
  .openapi(listDeadLetters, async (c) => {
    const { before, limit } = c.req.valid("query");
    // One more than a page from every shard, each below `before` in public ids; merged by id, newest first.
    const shards = Array.from({ length: deadLetterShards(c.env) }, (_, shard) => shard);
    const pages = await Promise.all(
      shards.map(async (shard) => {
        const localBefore = before === undefined ? undefined : Math.ceil((before - shard) / DEAD_LETTER_ID_SHARDS);
        const page = await deadLetterRegistry(c.env, shard).list(localBefore, limit);
        return { records: page.records.map((record) => publicDeadLetter(record, shard)), more: page.nextBefore !== null };
      }),
    );
    const merged = pages.flatMap((page) => page.records).sort((a, b) => b.id - a.id);
    const records = merged.slice(0, limit);
    const more = merged.length > limit || pages.some((page) => page.more);
    const nextBefore = more ? (records.at(-1)?.id ?? null) : null;
    return c.json({ deadLetters: await withTurnStates(c.env, records), nextBefore }, 200);
  })
  .openapi(replayDeadLetter, async (c) => {
    const { deadLetterId } = c.req.valid("param");
    const { shard, local } = deadLetterLocation(deadLetterId);
    if (shard >= deadLetterShards(c.env)) throw new ApiError("dead_letter_not_found");
    const registry = deadLetterRegistry(c.env, shard);
    const record = await registry.get(local);
    if (!record) throw new ApiError("dead_letter_not_found");
    const replayed = await conversationStub(c.env, record.conversationId).replayTurn(record.seq);
    if (!replayed.ok) throw ApiError.from(replayed.error);
    const updated = (await registry.replayed(local, new Date().toISOString())) ?? record;
    return c.json({ deadLetter: { ...publicDeadLetter(updated, shard), ...replayed.state } }, 202);
  });

/** Each record with where its turn is now, asked of its conversation (one call per conversation on the page). */
async function withTurnStates(env: GatewayEnv, records: StoredDeadLetter[]): Promise<DeadLetter[]> {
  const seqsByConversation = new Map<string, number[]>();
  for (const record of records) seqsByConversation.set(record.conversationId, [...(seqsByConversation.get(record.conversationId) ?? []), record.seq]);
  const states = new Map(
    await Promise.all(
      [...seqsByConversation].map(async ([conversationId, seqs]) => {
        try {
          return [conversationId, TurnStatesSchema.parse(await conversationStub(env, conversationId).deadLetterStates(seqs))] as const;
        } catch (error) {
          console.error(JSON.stringify({ event: "dead_letter_state_unknown", conversationId, error: String(error) }));
          return [conversationId, {}] as const;
        }
      }),
    ),
  );
  const unknown = { turn: "unknown", replayable: false, deliveries: null, lastError: null } as const;
  return records.map((record) => ({ ...record, ...(states.get(record.conversationId)?.[String(record.seq)] ?? unknown) }));
}
