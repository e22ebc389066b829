/**
 * What the platform says about a signed-in user's remembered answers and consent, and how a user
 * asks it to forget them, in each language it knows. One entry per locale (`Record<Locale, …>`), so
 * a new language does not compile without them. Bots say their own consent question (bot.yaml
 * `profile.consent`); these are the platform's sentences around it.
 */
import type { Locale } from "./languages.ts";

/** The special-category purposes a user can withdraw consent for in words (shared/schemas/profile.ts `SPECIAL_PURPOSES`). */
export type ForgettablePurpose = "health_guidance" | "financial_planning";

export interface ProfilePhrases {
  /** A remembered answer offered back when the bot has no `confirm` response for the slot: `{value}` is the answer. */
  rememberedOffer: string;
  /** The user consented: their answers are kept for next time. */
  consentGiven: string;
  /** The user declined: nothing of it outlives the conversation. */
  consentDeclined: string;
  /** The user asked to forget a purpose's details; `{what}` names them. */
  forgotten: string;
  /** How `{what}` reads per purpose. */
  purposeNames: Record<ForgettablePurpose, string>;
  /**
   * Asking to forget: a verb, then at once (past a few `fillers`: "my", "all", "about") an object of
   * the purpose — "forget my health details", but not "I forget my pills, is my health at risk?".
   * Matched on the lower-cased, NFKC-normalised text as plain prefixes and substrings (no regular
   * expression sees the user's text here).
   */
  forget: { verbs: readonly string[]; fillers: readonly string[]; objects: Record<ForgettablePurpose, readonly string[]> };
}

export const PROFILE_PHRASES: Record<Locale, ProfilePhrases> = {
  en: {
    rememberedOffer: "Last time you told me “{value}”. Is that still right?",
    consentGiven: "Thank you. I'll remember this for next time. You can say “forget my {what}” at any time.",
    consentDeclined: "Okay, I won't keep it: it is forgotten when this conversation ends.",
    forgotten: "Done: I've erased your {what} and won't keep them from now on.",
    purposeNames: { health_guidance: "health details", financial_planning: "financial details" },
    forget: {
      verbs: ["forget", "delete", "erase", "remove", "wipe"],
      fillers: ["my ", "all ", "of ", "about ", "everything ", "the ", "your notes on ", "what you know about "],
      objects: {
        health_guidance: ["health", "medical"],
        financial_planning: ["financial", "finance", "investment"],
      },
    },
  },
  zh: {
    rememberedOffer: "您上次告诉我的是“{value}”，现在还是这样吗？",
    consentGiven: "谢谢，我会记住这些信息，下次为您节省时间。您随时可以说“忘记我的{what}”。",
    consentDeclined: "好的，我不会保存，本次对话结束后这些信息就会被遗忘。",
    forgotten: "已完成：我已删除您的{what}，今后也不会再保存。",
    purposeNames: { health_guidance: "健康信息", financial_planning: "财务信息" },
    forget: {
      verbs: ["忘记", "忘掉", "删除", "删掉", "清除", "抹去"],
      fillers: ["掉", "我的", "我", "所有的", "所有", "关于", "有关"],
      objects: {
        health_guidance: ["健康信息", "健康资料", "健康数据", "医疗信息", "病史"],
        financial_planning: ["财务信息", "财务资料", "财务数据", "理财信息", "投资信息"],
      },
    },
  },
  es: {
    rememberedOffer: "La última vez me dijiste «{value}». ¿Sigue siendo así?",
    consentGiven: "Gracias. Lo recordaré para la próxima vez. Puedes decir «olvida mis {what}» cuando quieras.",
    consentDeclined: "De acuerdo, no lo guardaré: se olvida al terminar esta conversación.",
    forgotten: "Hecho: he borrado tus {what} y no los guardaré a partir de ahora.",
    purposeNames: { health_guidance: "datos de salud", financial_planning: "datos financieros" },
    forget: {
      verbs: ["olvida", "olvidá", "olvide", "borra", "borrá", "borre", "elimina", "eliminá", "elimine", "suprime"],
      fillers: ["mis ", "mi ", "todos ", "todas ", "los ", "las ", "la ", "toda "],
      objects: {
        health_guidance: ["datos de salud", "datos médicos", "datos medicos", "información de salud", "informacion de salud", "información médica", "informacion medica", "salud"],
        financial_planning: ["datos financieros", "información financiera", "informacion financiera", "datos de inversión", "datos de inversion", "finanzas"],
      },
    },
  },
};

/**
 * The purpose whose details the message asks to forget, in any of the given languages ("forget my
 * health details", "忘记我的健康信息", "olvida mis datos de salud"); undefined when it asks nothing of the kind.
 */
export function forgetRequest(text: string, locales: readonly Locale[]): ForgettablePurpose | undefined {
  const normalized = text.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ");
  for (const locale of locales) {
    const { verbs, fillers, objects } = PROFILE_PHRASES[locale].forget;
    for (const verb of verbs) {
      for (let at = normalized.indexOf(verb); at >= 0; at = normalized.indexOf(verb, at + 1)) {
        const object = afterFillers(normalized.slice(at + verb.length).trimStart(), fillers);
        for (const [purpose, names] of Object.entries(objects) as [ForgettablePurpose, readonly string[]][]) {
          if (names.some((name) => object.startsWith(name))) return purpose;
        }
      }
    }
  }
  return undefined;
}

/** The text with up to four filler words taken off its start ("all of my health" → "health"). */
function afterFillers(text: string, fillers: readonly string[]): string {
  let rest = text;
  for (let taken = 0; taken < 4; taken++) {
    const filler = fillers.find((candidate) => rest.startsWith(candidate));
    if (filler === undefined) break;
    rest = rest.slice(filler.length).trimStart();
  }
  return rest;
}
