/**
 * The finance risk questionnaire: five answers → a risk score (0-100) → a band → a model
 * allocation. The scoring table, the caps and the allocations are data here and documented in
 * docs/advice.md. Pure TypeScript: the dialogue Worker and tests run the same code.
 */
import type { Locale } from "../../schemas/nlu.ts";
import type { RiskAnswers, RiskBand } from "../../schemas/advice.ts";

/** Points per answer; the maxima add up to 100. */
export const RISK_POINTS = {
  /** Years until the money is needed: [at least, points], checked from the longest. */
  horizonYears: [
    [20, 25],
    [10, 22],
    [5, 16],
    [2, 8],
    [0, 0],
  ],
  fallReaction: { sell_all: 0, sell_some: 8, hold: 18, buy_more: 25 },
  incomeStability: { unstable: 0, variable: 5, stable: 10, very_stable: 15 },
  experience: { none: 0, basic: 5, experienced: 10, advanced: 15 },
  goal: { preserve: 0, income: 7, balanced: 13, growth: 20 },
} as const satisfies {
  horizonYears: readonly (readonly [number, number])[];
  fallReaction: Record<RiskAnswers["fallReaction"], number>;
  incomeStability: Record<RiskAnswers["incomeStability"], number>;
  experience: Record<RiskAnswers["experience"], number>;
  goal: Record<RiskAnswers["goal"], number>;
};

/** Bands in order of risk, each with the highest score it covers. */
export const RISK_BANDS: readonly { band: RiskBand; maxScore: number }[] = [
  { band: "conservative", maxScore: 20 },
  { band: "moderately_conservative", maxScore: 40 },
  { band: "balanced", maxScore: 60 },
  { band: "growth", maxScore: 80 },
  { band: "aggressive", maxScore: 100 },
];

export interface Allocation {
  /** Percentages of the portfolio; they add up to 100. */
  stocks: number;
  bonds: number;
  cash: number;
}

export const MODEL_ALLOCATIONS: Record<RiskBand, Allocation> = {
  conservative: { stocks: 20, bonds: 60, cash: 20 },
  moderately_conservative: { stocks: 40, bonds: 50, cash: 10 },
  balanced: { stocks: 60, bonds: 35, cash: 5 },
  growth: { stocks: 80, bonds: 15, cash: 5 },
  aggressive: { stocks: 90, bonds: 10, cash: 0 },
};

/**
 * Whatever the score, some answers cap the band: money needed within 2 years should not be in
 * shares much at all, within 5 years not mostly; and someone who would sell everything after a 20 %
 * fall would likely sell at the bottom of a growth portfolio.
 */
export const RISK_CAPS: readonly { reason: "short_horizon" | "sells_on_fall"; applies: (answers: RiskAnswers) => boolean; band: RiskBand }[] = [
  { reason: "short_horizon", applies: (answers) => answers.horizonYears < 2, band: "conservative" },
  { reason: "short_horizon", applies: (answers) => answers.horizonYears < 5, band: "moderately_conservative" },
  { reason: "sells_on_fall", applies: (answers) => answers.fallReaction === "sell_all", band: "balanced" },
];

export interface RiskProfile {
  /** 0-100: the sum of the answers' points. */
  score: number;
  band: RiskBand;
  allocation: Allocation;
  /** When an answer capped the band below what the score gives: why, and the band the score gave. */
  capped: { reason: "short_horizon" | "sells_on_fall"; uncappedBand: RiskBand } | null;
  /** Each answer's points, to explain the score. */
  points: Record<keyof RiskAnswers, number>;
}

const bandIndex = (band: RiskBand): number => RISK_BANDS.findIndex((entry) => entry.band === band);

function horizonPoints(years: number): number {
  for (const [atLeast, points] of RISK_POINTS.horizonYears) if (years >= atLeast) return points;
  return 0;
}

export function assessRisk(answers: RiskAnswers): RiskProfile {
  const points = {
    horizonYears: horizonPoints(answers.horizonYears),
    fallReaction: RISK_POINTS.fallReaction[answers.fallReaction],
    incomeStability: RISK_POINTS.incomeStability[answers.incomeStability],
    experience: RISK_POINTS.experience[answers.experience],
    goal: RISK_POINTS.goal[answers.goal],
  };
  const score = points.horizonYears + points.fallReaction + points.incomeStability + points.experience + points.goal;
  const uncappedBand = (RISK_BANDS.find((entry) => score <= entry.maxScore) ?? RISK_BANDS[RISK_BANDS.length - 1])?.band ?? "balanced";
  let band = uncappedBand;
  let capped: RiskProfile["capped"] = null;
  for (const cap of RISK_CAPS) {
    if (cap.applies(answers) && bandIndex(cap.band) < bandIndex(band)) {
      band = cap.band;
      capped = { reason: cap.reason, uncappedBand };
    }
  }
  return { score, band, allocation: { ...MODEL_ALLOCATIONS[band] }, capped, points };
}

/** How a band reads in a reply. */
export const RISK_BAND_NAMES: Record<RiskBand, Partial<Record<Locale, string>> & { en: string }> = {
  conservative: { en: "Conservative", zh: "保守型" },
  moderately_conservative: { en: "Moderately conservative", zh: "稳健偏保守型" },
  balanced: { en: "Balanced", zh: "平衡型" },
  growth: { en: "Growth", zh: "成长型" },
  aggressive: { en: "Aggressive", zh: "进取型" },
};

export function riskBandName(band: RiskBand, locale: Locale): string {
  const names = RISK_BAND_NAMES[band];
  return names[locale] ?? names.en;
}
