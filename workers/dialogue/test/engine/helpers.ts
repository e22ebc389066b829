// Drives the dialogue engine turn by turn the way the dialogue Worker does, with NLU results
// written by hand (the NLU engine is tested on its own) and the real bots from bots/.
import { fileURLToPath } from "node:url";
import { loadBot as loadBotFiles } from "../../../../devkit/bots/load-bots.ts";
import { initialDialogueState, type DialogueDecision, type DialogueState } from "../../../../shared/schemas/dialogue.ts";
import type { Entity, Locale, NluResult } from "../../../../shared/schemas/nlu.ts";
import { decideTurn, loadBot, type Bot, type EngineDeps, type TurnDecision } from "../../src/engine/index.ts";
import { ACTION_ASSERTION_HEADER, actionSigningKey, signActionAssertion } from "../../../../shared/action-assertion.ts";
import { TEST_ACTION_ASSERTION_KEY } from "../../../../devkit/action-keys.ts";

export const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** A bot from bots/<id>/, validated like `npm run build:bots` does. */
export function exampleBot(id: string): Bot {
  const { bot, errors } = loadBotFiles(`${ROOT}bots/${id}`, ROOT);
  if (!bot) throw new Error(errors.join("\n"));
  return loadBot(JSON.parse(JSON.stringify(bot.definition)), bot.knowledge ? JSON.parse(JSON.stringify(bot.knowledge.indexes)) : undefined);
}

/** The demo shop's signed-in customer whose orders the order tests use (demo/orders.ts). */
export const SIGNED_IN_CUSTOMER = "alice";

/**
 * The engine's fetch as the dialogue Worker gives it for a signed-in user's turn (action-assertions.ts):
 * every backend call carries the user's signed assertion (ACTION_ASSERTION_KEY of the test stack), which the demo order
 * API, started with TEST_ACTION_KEYS, checks. Anonymous callers see an order's status only.
 */
export async function signedInFetch(sub: string, bot = "ecommerce", conversationId = "c0ffee00c0ffee00c0ffee00c0ffee00"): Promise<typeof fetch> {
  const key = await actionSigningKey(TEST_ACTION_ASSERTION_KEY);
  return async (input, init) => {
    const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
    const method = init?.method ?? "GET";
    const headers = new Headers(init?.headers);
    headers.set(ACTION_ASSERTION_HEADER, await signActionAssertion(key, { sub, bot, conversationId, method, url }));
    return fetch(input, { ...init, headers });
  };
}

export function entity(name: string, value: Entity["value"], text = typeof value === "object" ? `${value.amount} ${value.currency}` : String(value)): Entity {
  return { entity: name, value, start: 0, end: text.length, text, source: "regex" };
}

export function nlu(intent: string, entities: Entity[] = [], locale: Locale = "en", confidence = 0.9): NluResult {
  return { intent: { name: intent, confidence }, intents: [{ name: intent, confidence }], entities, locale };
}

/** A conversation: keeps the state between turns as the conversation Durable Object does. */
export class Conversation {
  state: DialogueState = initialDialogueState();
  seq = 0;
  readonly bot: Bot;
  readonly deps: EngineDeps;
  readonly id: string;

  constructor(bot: Bot, deps: EngineDeps, id = "c0ffee00c0ffee00c0ffee00c0ffee00") {
    this.bot = bot;
    this.deps = deps;
    this.id = id;
  }

  async say(text: string, understood: NluResult): Promise<TurnDecision> {
    this.seq += 2;
    const decision = await decideTurn(
      this.bot,
      {
        conversationId: this.id,
        seq: this.seq,
        text,
        nlu: understood,
        state: this.state,
        timezone: "Europe/Berlin",
      },
      this.deps,
    );
    this.state = decision.state;
    return decision;
  }
}

export const responses = (decision: DialogueDecision): Array<string | undefined> => decision.replies.map((reply) => reply.response);
export const texts = (decision: DialogueDecision): string => decision.replies.map((reply) => reply.text).join("\n");
