/**
 * What the bot marks sensitive (bot.yaml: a slot's `sensitive: true`, `redaction.entities`), masked
 * in what the conversation keeps of a turn: the user's message (`maskedText`, when the bot's marks
 * mask more than the platform's detectors did when it was stored), the replies, the NLU entities and
 * the dialogue state after the turn (a sensitive slot whole). The turn itself — its actions, its
 * replies as the engine wrote them — had the values; the next turn does not.
 */
import { botRedactionSettings, maskText, redactSlots, redactText, turnRedactionPolicy, type BotRedactionSettings } from "../../../shared/redaction/index.ts";
import type { BotReply, DialogueState, NluResult } from "../../../shared/schemas/index.ts";
import type { Bot } from "./engine/index.ts";
import { ownValuesIn } from "./own-values.ts";

const settingsByBot = new WeakMap<Bot, BotRedactionSettings>();

export interface KeptTurn {
  replies: BotReply[];
  state: DialogueState;
  nlu: NluResult;
  maskedText?: string;
  /** The bot's own contact details the replies say (own-values.ts): kept unmasked. */
  ownValues: string[];
}

export function redactForKeeping(bot: Bot, text: string, nlu: NluResult, decision: { replies: BotReply[]; state: DialogueState }): KeptTurn {
  let settings = settingsByBot.get(bot);
  if (!settings) {
    settings = botRedactionSettings(bot.definition);
    settingsByBot.set(bot, settings);
  }
  const ownValues = ownValuesIn(bot, decision.replies);
  if (settings.sensitiveSlots.size === 0 && settings.sensitiveEntities.size === 0) return { ...decision, nlu, ownValues };
  const policy = turnRedactionPolicy(settings, { entities: nlu.entities, slots: decision.state.slots });
  const masked = redactText(text, policy);
  const marked = masked.findings.some((finding) => finding.kind === "marked");
  const values = { locales: settings.locales, values: policy.values ?? [], keep: ownValues };
  return {
    replies: decision.replies.map((reply) => ({ ...reply, text: maskText(reply.text, values) })),
    state: { ...decision.state, slots: redactSlots(decision.state.slots, policy) },
    nlu: {
      ...nlu,
      entities: nlu.entities.map((entity) => (settings.sensitiveEntities.has(entity.entity) ? { ...entity, text: "[redacted]", value: "[redacted]" } : entity)),
    },
    ...(marked ? { maskedText: masked.text } : {}),
    ownValues,
  };
}
