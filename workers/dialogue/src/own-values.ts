/**
 * The bot's own contact details — a hotline, a support address — found in its own texts (its
 * responses, FAQ answers and help pages): the detectors that mask personal values where a
 * conversation is kept would take them for a user's, and a bank's "call +1 555 0199" would reach the
 * user as "call [phone]". The values a turn's replies say go with its result (`ownValues`), and
 * neither this Worker nor the conversation masks them there (shared/redaction `keep`).
 */
import { ownValuesOf } from "../../../shared/redaction/index.ts";
import { MAX_OWN_VALUE_LENGTH, MAX_OWN_VALUES, type BotReply } from "../../../shared/schemas/index.ts";
import type { Bot } from "./engine/index.ts";

const valuesByBot = new WeakMap<Bot, readonly string[]>();

/** The bot's own contact details, found once per bot in an isolate. */
export function botOwnValues(bot: Bot): readonly string[] {
  let values = valuesByBot.get(bot);
  if (!values) {
    values = ownValuesOf(botTexts(bot), bot.definition.locales).filter((value) => value.length <= MAX_OWN_VALUE_LENGTH);
    valuesByBot.set(bot, values);
  }
  return values;
}

/** The bot's own contact details that the replies say. */
export function ownValuesIn(bot: Bot, replies: readonly BotReply[]): string[] {
  const values = botOwnValues(bot);
  if (values.length === 0) return [];
  return values.filter((value) => replies.some((reply) => reply.text.includes(value))).slice(0, MAX_OWN_VALUES);
}

function* botTexts(bot: Bot): Generator<string> {
  const { definition } = bot;
  for (const response of Object.values(definition.responses)) {
    for (const localized of Object.values(response)) if (localized) yield* localized.text;
  }
  for (const entry of definition.faq?.entries ?? []) {
    for (const locale of definition.locales) {
      const localized = entry[locale];
      if (localized) yield localized.answer;
    }
  }
  for (const index of Object.values(bot.knowledge)) {
    for (const passage of index?.data.passages ?? []) yield passage.text;
  }
}
