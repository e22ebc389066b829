/**
 * What the conversation keeps is masked (docs/privacy.md, "Redaction"): card numbers, IBANs, e-mail
 * addresses, phone numbers and national ids in the bot's languages are replaced by their masks in
 * the stored user message, the stored replies and the NLU result kept with them — so the transcript,
 * the inbox's excerpt, analytics samples and exports, which all read what is stored, show them
 * masked. The turn that needs a value has it: the pipeline gets the text as it was written (kept in
 * memory while its turn is open, `UnmaskedTexts`), and the bot's own marks (sensitive slots and
 * entities) are applied by the dialogue Worker, which knows them, in its result.
 *
 * Masking is CPU only (tens of µs a message): no row, no request.
 */
import { maskText } from "../../shared/redaction/index.ts";
import type { DialogueResult, Entity } from "../../shared/schemas/index.ts";
import { botLocales } from "./bot-locales.ts";

/** The text as it is kept: the platform's detectors for the bot's languages. */
export function maskForStorage(bot: string, text: string): string {
  return maskText(text, { locales: botLocales(bot) });
}

/**
 * A dialogue result as it is kept: replies and the NLU's entity texts masked — in the replies, not
 * the bot's own contact details they say (`ownValues`: a hotline in an FAQ answer is no one's
 * personal data).
 */
export function maskResultForStorage(bot: string, result: DialogueResult): DialogueResult {
  const policy = { locales: botLocales(bot) };
  const replyPolicy = { ...policy, keep: result.ownValues ?? [] };
  const replies = result.replies.map((reply) => {
    const text = maskText(reply.text, replyPolicy);
    return text === reply.text ? reply : { ...reply, text };
  });
  const entities = result.nlu.entities.map((entity): Entity => {
    const text = maskText(entity.text, policy);
    if (text === entity.text) return entity;
    return { ...entity, text, value: typeof entity.value === "string" ? text : entity.value };
  });
  return { ...result, replies, nlu: { ...result.nlu, entities } };
}

/** The unmasked texts of the turns still open, while this object is in memory (bounded by the open turns). */
export class UnmaskedTexts {
  private readonly texts = new Map<number, string>();

  hold(seq: number, text: string, masked: string): void {
    if (text !== masked) this.texts.set(seq, text);
  }

  get(seq: number): string | undefined {
    return this.texts.get(seq);
  }

  release(seq: number): void {
    this.texts.delete(seq);
  }

  clear(): void {
    this.texts.clear();
  }
}
