import { z } from "zod";

/**
 * The inputs of the personal-advice engines (shared/advice/): a finance risk questionnaire and
 * savings plan, and a health profile with a medicine question. A bot fills them from slots or the
 * user's profile; the engines only read validated values.
 */

// ——— Finance ———

/** What the user would do if their investments fell 20 % in a few months. */
export const FallReactionSchema = z.enum(["sell_all", "sell_some", "hold", "buy_more"]);
/** unstable: irregular, could stop; variable: freelance, commission; stable: a salary; very_stable: secure, with other income or a large cushion. */
export const IncomeStabilitySchema = z.enum(["unstable", "variable", "stable", "very_stable"]);
/** none; basic: savings accounts, perhaps one fund; experienced: funds or shares held for years through ups and downs; advanced: invests actively across asset classes. */
export const InvestingExperienceSchema = z.enum(["none", "basic", "experienced", "advanced"]);
/** preserve: keep the money safe; income: a regular income; balanced: some growth, some stability; growth: long-term growth. */
export const InvestmentGoalSchema = z.enum(["preserve", "income", "balanced", "growth"]);

export const RiskAnswersSchema = z.object({
  /** Years until the money is needed. */
  horizonYears: z.number().min(0).max(100),
  fallReaction: FallReactionSchema,
  incomeStability: IncomeStabilitySchema,
  experience: InvestingExperienceSchema,
  goal: InvestmentGoalSchema,
});
export type RiskAnswers = z.infer<typeof RiskAnswersSchema>;

export const RiskBandSchema = z.enum(["conservative", "moderately_conservative", "balanced", "growth", "aggressive"]);
export type RiskBand = z.infer<typeof RiskBandSchema>;

const isoDate = z.iso.date();

export const SavingsPlanInputSchema = z.object({
  /** The amount wanted at `goalDate`. */
  goalAmount: z.number().positive().max(1e12),
  /** What is already saved towards it at `startDate`. */
  startingBalance: z.number().min(0).max(1e12),
  startDate: isoDate,
  goalDate: isoDate,
  /** The assumed yearly return in percent (5 = 5 %), a nominal rate compounded monthly; may be 0 or negative. */
  annualReturnPercent: z.number().min(-20).max(50),
});
export type SavingsPlanInput = z.infer<typeof SavingsPlanInputSchema>;

// ——— Health ———

/** child: under 12; teen: 12-17; adult: 18-64; older_adult: 65 and over. */
export const AgeBandSchema = z.enum(["child", "teen", "adult", "older_adult"]);
export type AgeBand = z.infer<typeof AgeBandSchema>;

export const ChronicConditionSchema = z.enum([
  "kidney_disease",
  "liver_disease",
  "asthma",
  "stomach_ulcer",
  "heart_disease",
  "high_blood_pressure",
  "bleeding_disorder",
]);
export type ChronicCondition = z.infer<typeof ChronicConditionSchema>;

/** Allergies the rules know: to aspirin or other NSAIDs (anti-inflammatory painkillers), and to penicillin. */
export const AllergySchema = z.enum(["nsaid", "penicillin"]);
export type Allergy = z.infer<typeof AllergySchema>;

export const HealthProfileSchema = z.object({
  ageBand: AgeBandSchema,
  /**
   * null: not pregnant (or not said); a trimester when known, and the completed weeks when known
   * (some advice changes at 20 weeks, within the second trimester).
   */
  pregnancy: z
    .object({
      trimester: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable(),
      weeks: z.number().int().min(0).max(45).nullable().optional(),
    })
    .nullable(),
  conditions: z.array(ChronicConditionSchema).max(20),
  allergies: z.array(AllergySchema).max(10),
  /** Medicines taken now, as the user names them ("warfarin", "Nurofen", "布洛芬"); unknown names are kept but match no rule. */
  currentMedicines: z.array(z.string().min(1).max(80)).max(30),
});
export type HealthProfile = z.infer<typeof HealthProfileSchema>;

export const MedicineQuestionSchema = z.object({
  /** The medicine asked about, as the user names it. */
  medicine: z.string().min(1).max(80),
  /** The question is about how much to take (a dose). */
  asksDose: z.boolean(),
});
export type MedicineQuestion = z.infer<typeof MedicineQuestionSchema>;

// ——— The demo bank's advice endpoints (demo/advice/routes.ts), which the finance bot's actions call ———

/** `POST /finance/risk-profile`: the five answers, nothing else. */
export const RiskProfileRequestSchema = RiskAnswersSchema.strict();

/** `POST /finance/risk-profile` 200. */
export const RiskProfileResponseSchema = z.object({
  score: z.number().int().min(0).max(100),
  band: RiskBandSchema,
  allocation: z.object({ stocks: z.number(), bonds: z.number(), cash: z.number() }),
  /** Why an answer capped the band below what the score gives, and that band; null when nothing capped it. */
  capped: z.object({ reason: z.enum(["short_horizon", "sells_on_fall"]), uncappedBand: RiskBandSchema }).nullable(),
});
export type RiskProfileResponse = z.infer<typeof RiskProfileResponseSchema>;

/**
 * `POST /finance/savings-plan`: a goal amount by a date (or in a number of years) at an assumed
 * return. `startDate` defaults to today (UTC) on the server; `startingBalance` to 0.
 */
export const SavingsPlanRequestSchema = z
  .object({
    goalAmount: z.number().positive().max(1e12),
    startingBalance: z.number().min(0).max(1e12).default(0),
    startDate: isoDate.optional(),
    goalDate: isoDate.optional(),
    /** Whole years from the start, instead of a goal date. */
    years: z.number().int().min(1).max(60).optional(),
    annualReturnPercent: z.number().min(-20).max(50).optional(),
    /** Instead of a return: the risk profile whose model mix's long-run return the plan assumes (shared/advice/finance/assumed-return.ts). */
    riskBand: RiskBandSchema.optional(),
  })
  .strict()
  .refine((body) => (body.goalDate === undefined) !== (body.years === undefined), { message: "give either goalDate or years, not both" })
  .refine((body) => (body.annualReturnPercent === undefined) !== (body.riskBand === undefined), {
    message: "give either annualReturnPercent or riskBand, not both",
  });
export type SavingsPlanRequest = z.infer<typeof SavingsPlanRequestSchema>;

/** `POST /finance/savings-plan` 200: the plan, with the inputs it assumed. */
export const SavingsPlanResponseSchema = z.object({
  monthlyContribution: z.number().min(0),
  months: z.number().int().positive(),
  status: z.enum(["already_reached", "reached_by_growth", "needs_contributions"]),
  totalContributions: z.number(),
  projectedBalance: z.number(),
  projectedGrowth: z.number(),
  startDate: isoDate,
  goalDate: isoDate,
  goalAmount: z.number(),
  startingBalance: z.number(),
  annualReturnPercent: z.number(),
  /** Where the assumed return came from when the request named a risk band: its model mix and each asset class's assumed return; null for a stated return. */
  returnFrom: z
    .object({
      band: RiskBandSchema,
      allocation: z.object({ stocks: z.number(), bonds: z.number(), cash: z.number() }),
      assetReturns: z.object({ stocks: z.number(), bonds: z.number(), cash: z.number() }),
    })
    .nullable(),
});
export type SavingsPlanResponse = z.infer<typeof SavingsPlanResponseSchema>;

/** What applies to the person, as the health bot asks it in one question: one condition, pregnancy, or none. */
export const StatedHealthFactSchema = z.union([ChronicConditionSchema, z.literal("pregnant"), z.literal("none")]);

/**
 * A list as a bot sends it: an array, or one slot's comma-separated values ("kidney_disease,asthma",
 * a multiple-choice slot; "none" stands for an empty list); null or absent: nothing said.
 */
function listOf<T extends z.ZodType<string>>(item: T, max: number) {
  return z.preprocess(
    (value) =>
      typeof value === "string"
        ? value
            .split(",")
            .map((part) => part.trim())
            .filter((part) => part !== "" && part !== "none")
        : (value ?? undefined),
    z.array(item).max(max).default([]),
  );
}

/**
 * `POST /medicines/advice`: a medicine question with what the bot knows of the person. `fact` is
 * the bot's one question about someone else ("does any of these apply?"); the lists, pregnancy and
 * the current medicines in the user's own words are what the bot asks (and remembers) of the user.
 */
export const MedicineAdviceRequestSchema = z
  .object({
    medicine: z.string().trim().min(1).max(80),
    asksDose: z.boolean().default(false),
    ageBand: AgeBandSchema,
    fact: StatedHealthFactSchema.nullable().optional(),
    pregnant: z.boolean().nullable().default(false),
    /** Completed weeks of pregnancy, as the user said them; the response gives the due date they imply. */
    pregnancyWeeks: z.number().int().min(1).max(45).nullable().optional(),
    /** The expected due date (ISO), as remembered from an earlier conversation: today's weeks follow from it. */
    dueDate: z.iso.date().nullable().optional(),
    conditions: listOf(ChronicConditionSchema, 20),
    allergies: listOf(AllergySchema, 10),
    currentMedicines: z.array(z.string().min(1).max(80)).max(30).default([]),
    /** The medicines the user takes, in their own words ("warfarin and vitamin D", "没有"); read by the service. */
    currentMedicinesText: z.string().trim().min(1).max(300).nullable().optional(),
    /** The language to word `understood.currentMedicines` in (what the bot remembers). */
    locale: z.enum(["en", "zh"]).default("en"),
  })
  .strict();
export type MedicineAdviceRequest = z.infer<typeof MedicineAdviceRequestSchema>;

const LocalisedTextSchema = z.object({ en: z.string(), zh: z.string() });

/** `POST /medicines/advice` 200: the strongest level, who to ask, and the findings worded per locale. */
export const MedicineAdviceResponseSchema = z.object({
  /** The medicine's generic name when the rules know it ("Nurofen" → ibuprofen), else null. */
  medicine: z.string().nullable(),
  /** How the medicine reads in a reply per locale: its generic name (Chinese name for zh), or the name as asked. */
  medicineName: LocalisedTextSchema,
  /** The strongest finding's level, or `none` when nothing in what the person said calls for a warning. */
  level: z.enum(["do_not_take", "ask_first", "refer", "caution", "none"]),
  referral: z.enum(["doctor", "pharmacist_or_doctor", "pharmacist"]).nullable(),
  withholdDose: z.boolean(),
  findings: z.array(z.object({ rule: z.string(), level: z.string(), message: LocalisedTextSchema })),
  /** The findings as one paragraph per locale, strongest first (or the no-warning sentence), then the medicines it could not check. */
  message: LocalisedTextSchema,
  /** What the advice was checked against, per locale ("24 weeks pregnant; taking warfarin"); when none of these was said, that none was ("no pregnancy, conditions, allergies or regular medicines"). */
  basis: LocalisedTextSchema,
  /** What the service read from the request, for the bot to keep. */
  understood: z.object({
    /** Today's completed weeks and the due date, when pregnant and either is known. */
    pregnancy: z.object({ weeks: z.number().int().nullable(), dueDate: z.iso.date().nullable() }).nullable(),
    /** The current medicines read from `currentMedicinesText`, worded in `locale` ("warfarin, vitamin D", "none"); null when none was given. */
    currentMedicines: z.string().nullable(),
    /** Named medicines the rules do not know, so nothing was checked against them. */
    uncheckedMedicines: z.array(z.string()),
  }),
});
export type MedicineAdviceResponse = z.infer<typeof MedicineAdviceResponseSchema>;
