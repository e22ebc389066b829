/**
 * What a person told the health bot about themselves, read into what the medicine rules take: the
 * medicines they take now, in their own words ("warfarin and a vitamin D tablet", "没有"), and how
 * far a pregnancy is (the weeks they said, or the due date remembered from an earlier conversation,
 * which keeps counting). Also the short "checked against" line a reply shows, per locale.
 *
 * Pure TypeScript: the demo clinic service and tests run the same code.
 */
import type { Allergy, ChronicCondition, HealthProfile } from "../../schemas/advice.ts";
import { fold as foldName, medicinesInText, type Medicine } from "./medicines.ts";

type Text = Record<"en" | "zh", string>;

/** The current medicines a message names: those the rules know, the names they do not, or none at all. */
export interface MedicinesReading {
  known: Medicine[];
  /** Names the rules do not know, as the person wrote them ("vitamin D"): nothing is checked against them. */
  unknown: string[];
  /** The person said they take none. */
  none: boolean;
}

const SEPARATORS = /[,，;；、/+&]|\b(?:and|plus|with|also)\b|和|及|与|跟|还有|以及|加上/giu;
/** Words around a medicine's name that are not a medicine ("I take … daily", "每天吃…"). */
const FILLER_WORDS = new Set(
  "i i'm im am take taking takes took on my the a an some daily every day days tablet tablets pill pills capsule capsules each morning night evening regularly currently now only just medicine medicines medication medications dose low low-dose mg also too of".split(" "),
);
const CHINESE_FILLERS = /我|正在|在|吃|服用|每天|长期|还|也|药物|药|一片|片|目前|现在|的|了|着|天天/gu;
const NONE_ANSWER =
  /^(?:no|none|nothing|nope|nil|n\/a|no medicines?|no medications?|none at all|not any|nothing regularly|no regular medicines?|没有|无|不吃|没吃|都没有|不服用|没有吃药|不吃药|无长期用药|没有长期服用的药)$/u;
const NONE_PHRASES = /\b(?:don't take|do not take|not taking|no medicines|no medication|no regular medicines|nothing)\b|没有吃|不吃药|没在吃|没有服用/u;
const YES_ONLY = /^(?:yes|yeah|yep|yes i do|i do|some|a few|a couple|several|是|是的|有|有的|吃|在吃)$/u;

/**
 * An answer folded as medicine names are (medicines.ts), less its closing punctuation ("None.", "没有。").
 * The punctuation comes off the normalised text before its spacing is folded and trimmed ("no. " keeps its stop).
 */
const fold = (text: string): string => foldName(text.normalize("NFKC").replace(/[.!?。！？]+$/u, ""));

/**
 * The medicines a person says they take now, or undefined when the answer names none and does not
 * say "none" ("yes", "some"): the bot then asks which.
 */
export function readCurrentMedicines(text: string): MedicinesReading | undefined {
  const folded = fold(text);
  if (folded === "" || YES_ONLY.test(folded)) return undefined;
  const known = medicinesInText(folded);
  const unknown: string[] = [];
  for (const part of text.normalize("NFKC").split(SEPARATORS)) {
    const words = part.trim();
    if (words === "" || medicinesInText(words).length > 0) continue;
    const rest = withoutFillers(words);
    if (rest === "" || NONE_ANSWER.test(fold(rest)) || NONE_PHRASES.test(fold(words))) continue;
    if (!unknown.some((name) => fold(name) === fold(rest))) unknown.push(rest.slice(0, 60));
  }
  if (known.length > 0 || unknown.length > 0) return { known, unknown: unknown.slice(0, 10), none: false };
  return NONE_ANSWER.test(folded) || NONE_PHRASES.test(folded) ? { known: [], unknown: [], none: true } : undefined;
}

function withoutFillers(part: string): string {
  const latin = part
    .split(/\s+/)
    .filter((word) => !FILLER_WORDS.has(word.toLowerCase().replace(/[^\p{L}\p{N}'-]/gu, "")))
    .join(" ");
  return latin.replace(CHINESE_FILLERS, "").replace(/^[\p{P}\s]+|[\p{P}\s]+$/gu, "").trim();
}

/** A medicine's name in a reply: its generic name, or its first Chinese name for `zh`. */
export function medicineName(medicine: Medicine, locale: "en" | "zh"): string {
  return locale === "zh" ? (medicine.names.find((name) => /\p{Script=Han}/u.test(name)) ?? medicine.id) : medicine.id;
}

const LIST_SEPARATOR: Text = { en: ", ", zh: "、" };
const NO_MEDICINES: Text = { en: "none", zh: "无" };

/** The reading as the bot keeps it, in one language ("warfarin, vitamin D"; "none"): read back by readCurrentMedicines next time. */
export function wordMedicines(reading: MedicinesReading, locale: "en" | "zh"): string {
  if (reading.none) return NO_MEDICINES[locale];
  return [...reading.known.map((medicine) => medicineName(medicine, locale)), ...reading.unknown].join(LIST_SEPARATOR[locale]);
}

// ——— Pregnancy ———

/** A full-term pregnancy, counted from the first day of the last period: 40 weeks. */
const TERM_DAYS = 280;
const DAY_MS = 86_400_000;

export interface PregnancyStage {
  /** Completed weeks today; null when the due date lies too far from today to be this pregnancy's. */
  weeks: number | null;
  dueDate: string;
  trimester: 1 | 2 | 3 | null;
}

const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

function trimesterOf(weeks: number | null): 1 | 2 | 3 | null {
  if (weeks === null) return null;
  return weeks < 14 ? 1 : weeks < 28 ? 2 : 3;
}

/** "24 weeks" said today → the due date it implies (16 weeks from today). */
export function pregnancyFromWeeks(weeks: number, today: string): PregnancyStage {
  const dueDate = isoOf(dayNumber(today) + TERM_DAYS - weeks * 7);
  return { weeks, dueDate, trimester: trimesterOf(weeks) };
}

/** A remembered due date → today's completed weeks (unknown if the date is over 42 weeks away, or over 4 weeks past). */
export function pregnancyFromDueDate(dueDate: string, today: string): PregnancyStage {
  const days = TERM_DAYS - (dayNumber(dueDate) - dayNumber(today));
  const weeks = days < 0 || days > TERM_DAYS + 28 ? null : Math.floor(days / 7);
  return { weeks, dueDate, trimester: trimesterOf(weeks) };
}

// ——— What a reply says the advice was checked against ———

const CONDITION_NAMES: Record<ChronicCondition, Text> = {
  kidney_disease: { en: "kidney disease", zh: "肾病" },
  liver_disease: { en: "liver disease", zh: "肝病" },
  asthma: { en: "asthma", zh: "哮喘" },
  stomach_ulcer: { en: "a stomach ulcer", zh: "胃溃疡" },
  heart_disease: { en: "heart disease", zh: "心脏病" },
  high_blood_pressure: { en: "high blood pressure", zh: "高血压" },
  bleeding_disorder: { en: "a bleeding disorder", zh: "出血性疾病" },
};
const ALLERGY_NAMES: Record<Allergy, Text> = {
  nsaid: { en: "aspirin and other NSAIDs", zh: "阿司匹林等非甾体抗炎药" },
  penicillin: { en: "penicillin", zh: "青霉素" },
};

/**
 * What the advice was checked against, per locale: "24 weeks pregnant; asthma; allergic to
 * penicillin; taking warfarin" — or, when the person said none of these, that they said so.
 */
export function describeBasis(profile: HealthProfile, medicines: MedicinesReading | undefined): Text {
  const parts: Text[] = [];
  const { pregnancy } = profile;
  if (pregnancy !== null) {
    const weeks = pregnancy.weeks ?? null;
    parts.push(weeks === null ? { en: "pregnant", zh: "怀孕" } : { en: `${weeks} weeks pregnant`, zh: `怀孕 ${weeks} 周` });
  }
  if (profile.conditions.length > 0) {
    parts.push({ en: profile.conditions.map((c) => CONDITION_NAMES[c].en).join(", "), zh: profile.conditions.map((c) => CONDITION_NAMES[c].zh).join("、") });
  }
  if (profile.allergies.length > 0) {
    parts.push({
      en: `allergic to ${profile.allergies.map((a) => ALLERGY_NAMES[a].en).join(" and ")}`,
      zh: `对${profile.allergies.map((a) => ALLERGY_NAMES[a].zh).join("和")}过敏`,
    });
  }
  if (medicines !== undefined && !medicines.none) parts.push({ en: `taking ${wordMedicines(medicines, "en")}`, zh: `正在服用${wordMedicines(medicines, "zh")}` });
  if (parts.length === 0) return { en: "no pregnancy, conditions, allergies or regular medicines", zh: "未怀孕，无相关疾病、过敏或长期用药" };
  return { en: parts.map((part) => part.en).join("; "), zh: parts.map((part) => part.zh).join("；") };
}
