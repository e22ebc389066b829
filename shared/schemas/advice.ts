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
  /** null: not pregnant (or not said); a trimester when known. */
  pregnancy: z.object({ trimester: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable() }).nullable(),
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
    annualReturnPercent: z.number().min(-20).max(50),
  })
  .strict()
  .refine((body) => (body.goalDate === undefined) !== (body.years === undefined), { message: "give either goalDate or years, not both" });
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
});
export type SavingsPlanResponse = z.infer<typeof SavingsPlanResponseSchema>;

/** What applies to the person, as the health bot asks it in one question: one condition, pregnancy, or none. */
export const StatedHealthFactSchema = z.union([ChronicConditionSchema, z.literal("pregnant"), z.literal("none")]);

/**
 * `POST /medicines/advice`: a medicine question with what the bot knows of the person. `fact` is
 * the bot's one question ("does any of these apply?"); the lists are for callers that know more.
 */
export const MedicineAdviceRequestSchema = z
  .object({
    medicine: z.string().trim().min(1).max(80),
    asksDose: z.boolean().default(false),
    ageBand: AgeBandSchema,
    fact: StatedHealthFactSchema.nullable().optional(),
    pregnant: z.boolean().default(false),
    conditions: z.array(ChronicConditionSchema).max(20).default([]),
    allergies: z.array(AllergySchema).max(10).default([]),
    currentMedicines: z.array(z.string().min(1).max(80)).max(30).default([]),
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
  /** The findings as one paragraph per locale, strongest first (or the no-warning sentence). */
  message: LocalisedTextSchema,
});
export type MedicineAdviceResponse = z.infer<typeof MedicineAdviceResponseSchema>;
