// Replays one conversation test against a running Stratus (the real Workers on workerd) and
// checks each turn's replies. Used by `npm run test:conversations` and test/conversations.test.ts.
import { startDemoServices } from "../../demo/services.ts";
import { TEST_ACTION_KEYS } from "../action-keys.ts";
import { signDevUserToken } from "../user-tokens.ts";
import type { ConversationTestTurn } from "../../shared/schemas/conversation-test.ts";
import type { Reply, Stratus } from "../local-stack.ts";
import { RefusedMessageError } from "../refused-message.ts";
import type { ConversationTestCase } from "./conversation-tests.ts";

/** Stratus on workerd plus the demo backends its bots' actions call; `close` stops both. */
export interface ConversationTestEnvironment {
  stratus: Stratus;
  close(): Promise<void>;
}

/** Starts the demo backends on loopback and Stratus with the dialogue Worker pointed at them. */
export async function startConversationTestEnvironment(): Promise<ConversationTestEnvironment> {
  // Loaded here, not at the top: the checks below (checkTurn, checkSlots) need no workerd.
  const { startStratus } = await import("../local-stack.ts");
  // The slow order must outlast the bot's action timeout (2 s, one retry) but not the turn's wait.
  // The order API checks the bots' user assertions with the stack's public keys (devkit/action-keys.ts).
  const demo = await startDemoServices({ port: 0, slowMs: 6000, actionKeys: TEST_ACTION_KEYS });
  let stratus: Stratus;
  try {
    stratus = await startStratus({ dialogueVars: { ORDER_API_URL: demo.url, MARKET_API_URL: demo.url, HEALTH_API_URL: demo.url } });
  } catch (error) {
    await demo.close();
    throw error;
  }
  return {
    stratus,
    async close() {
      await stratus.close();
      await demo.close();
    },
  };
}

export interface CaseResult {
  botId: string;
  file: string;
  name: string;
  passed: boolean;
  /** `turn 2 "ORD-12": expected response utter_invalid_order_id, got [utter_ask_order_id] (intent out_of_scope)` */
  failures: string[];
  durationMs: number;
}

/** What one turn's replies fail to meet (empty: the turn passed). */
export function checkTurn(turn: ConversationTestTurn, replies: Reply[], handoffResponse: string): string[] {
  const problems: string[] = [];
  const names = replies.map((reply) => reply.response ?? "(none)");
  const text = replies.map((reply) => reply.text).join("\n");
  const nlu = replies.find((reply) => reply.nlu)?.nlu;
  const intent = nlu?.intent;
  const got = `got [${names.join(", ")}]${intent ? ` (intent ${intent.name} ${intent.confidence.toFixed(2)})` : ""}`;
  if (turn.intent !== undefined && intent?.name !== turn.intent) problems.push(`expected intent ${turn.intent}, ${got}`);
  if (turn.locale !== undefined && nlu?.locale !== turn.locale) problems.push(`expected locale ${turn.locale}, got ${nlu?.locale ?? "none"}`);
  if (turn.response !== undefined && !names.includes(turn.response)) problems.push(`expected response ${turn.response}, ${got}`);
  if (turn.responses !== undefined && names.join(",") !== turn.responses.join(",")) {
    problems.push(`expected responses [${turn.responses.join(", ")}], ${got}`);
  }
  for (const expected of turn.contains ?? []) {
    if (!text.toLowerCase().includes(expected.toLowerCase())) problems.push(`expected the reply to contain "${expected}", got "${text}"`);
  }
  for (const unexpected of turn.notContains ?? []) {
    if (text.toLowerCase().includes(unexpected.toLowerCase())) problems.push(`expected the reply not to contain "${unexpected}", got "${text}"`);
  }
  const offered = new Set(replies.flatMap((reply) => reply.quickReplies ?? []));
  for (const quickReply of turn.quickReplies ?? []) {
    if (!offered.has(quickReply)) problems.push(`expected quick reply "${quickReply}", got [${[...offered].join(", ")}]`);
  }
  const cards = replies.flatMap((reply) => reply.cards ?? []).map((card) => card.title);
  for (const title of turn.cards ?? []) {
    if (!cards.includes(title)) problems.push(`expected a card "${title}", got [${cards.join(", ")}]`);
  }
  if (turn.handoff !== undefined && names.includes(handoffResponse) !== turn.handoff) {
    problems.push(`expected ${turn.handoff ? "a handoff" : "no handoff"}, ${got}`);
  }
  return problems;
}

/** What the dialogue state's slots fail to meet; `null` expects an empty slot. */
export function checkSlots(expected: Record<string, unknown>, actual: Record<string, unknown>): string[] {
  return Object.entries(expected).flatMap(([slot, value]) => {
    const got = actual[slot] ?? null;
    return JSON.stringify(got) === JSON.stringify(value)
      ? []
      : [`expected slot ${slot} = ${JSON.stringify(value)}, got ${JSON.stringify(got)}`];
  });
}

export async function runConversationCase(stratus: Stratus, testCase: ConversationTestCase): Promise<CaseResult> {
  const started = Date.now();
  const { test } = testCase;
  const failures: string[] = [];
  try {
    const conversation = await stratus.createConversation({
      bot: testCase.botId,
      ...(test.locale ? { locale: test.locale } : {}),
      ...(test.timezone ? { timezone: test.timezone } : {}),
      // A signed-in user's test: a user token, as their host site would sign it.
      ...(testCase.user === undefined ? {} : { userToken: await signDevUserToken({ sub: testCase.user }) }),
    });
    for (const [index, turn] of test.turns.entries()) {
      const { replies } = await sayWithinRateLimits(stratus, conversation, turn.user);
      const problems = checkTurn(turn, replies, testCase.handoffResponse);
      if (turn.slots) problems.push(...checkSlots(turn.slots, (await stratus.dialogueState(conversation)).slots));
      for (const problem of problems) failures.push(`turn ${index + 1} "${turn.user}": ${problem}`);
      // Later turns depend on this one: stop at the first turn that went wrong.
      if (failures.length > 0) break;
    }
  } catch (error) {
    failures.push(`error: ${(error as Error).message}`);
  }
  return {
    botId: testCase.botId,
    file: testCase.file,
    name: test.name,
    passed: failures.length === 0,
    failures,
    durationMs: Date.now() - started,
  };
}

/**
 * A message sent as a well-behaved client sends it: refused with 429 (the whole suite comes from one
 * address, ADDRESS_MESSAGE_LIMITER), it waits the Retry-After the gateway names and sends it again.
 * A refused message was not stored, so the retry is the message's only copy.
 */
async function sayWithinRateLimits(stratus: Stratus, conversation: Awaited<ReturnType<Stratus["createConversation"]>>, text: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await stratus.say(conversation, text);
    } catch (error) {
      const limited = error instanceof RefusedMessageError && error.error?.code === "rate_limited" ? error.error : undefined;
      if (limited === undefined || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, (limited.retryAfter ?? 1) * 1000));
    }
  }
}

/** Runs `tasks` with at most `limit` in flight, keeping their order in the results. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
