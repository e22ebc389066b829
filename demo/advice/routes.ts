/**
 * The demo bank's advice endpoints (served by demo/services.ts), running the shared engines
 * (shared/advice/) on validated bodies (shared/schemas/advice.ts):
 *
 *   POST /finance/risk-profile   { horizonYears, fallReaction, incomeStability, experience, goal }
 *                                200 { score, band, allocation: { stocks, bonds, cash }, capped }
 *   POST /finance/savings-plan   { goalAmount, startingBalance?, startDate?, goalDate | years, annualReturnPercent | riskBand }
 *                                200 { monthlyContribution, months, status, …, startDate, goalDate, annualReturnPercent, returnFrom }
 *                                422 goal_date_not_after_start
 *   POST /medicines/advice       { medicine, asksDose, ageBand, fact?, pregnant?, pregnancyWeeks?, dueDate?, conditions?,
 *                                  allergies?, currentMedicines?, currentMedicinesText?, locale? }
 *                                200 { medicine, level, referral, withholdDose, findings, message: { en, zh }, basis, understood }
 *                                422 unclear_medicines (the medicines' text names none and is not "none")
 *
 * A body that is not JSON or does not fit the schema gets 400 { error, message }. Never throws.
 */
import { assessRisk } from "../../shared/advice/finance/risk-profile.ts";
import { assumedReturnForBand } from "../../shared/advice/finance/assumed-return.ts";
import { planSavings } from "../../shared/advice/finance/savings-plan.ts";
import { adviseOnMedicine } from "../../shared/advice/health/medicine-rules.ts";
import { MEDICINES } from "../../shared/advice/health/medicines.ts";
import {
  describeBasis,
  medicineName,
  pregnancyFromDueDate,
  pregnancyFromWeeks,
  readCurrentMedicines,
  wordMedicines,
  type PregnancyStage,
} from "../../shared/advice/health/stated-facts.ts";
import {
  MedicineAdviceRequestSchema,
  RiskProfileRequestSchema,
  SavingsPlanRequestSchema,
  type MedicineAdviceResponse,
  type RiskProfileResponse,
  type SavingsPlanResponse,
} from "../../shared/schemas/advice.ts";
import { describeZodError } from "../../shared/zod-issues.ts";

export interface AdviceAnswer {
  status: number;
  body: unknown;
}

export const ADVICE_PATHS = new Set(["/finance/risk-profile", "/finance/savings-plan", "/medicines/advice"]);

/** The body as the route reads it: parsed JSON, or `invalid` when it is not JSON at all. */
export type AdviceBody = { ok: true; json: unknown } | { ok: false };

/** `today` (an ISO date) is the plan's default start: the server's date, given so tests can fix it. */
export function answerAdviceRequest(method: string, path: string, body: AdviceBody, today: string): AdviceAnswer | null {
  const route = path.replace(/\/+$/, "");
  if (!ADVICE_PATHS.has(route)) return null;
  if (method !== "POST") return { status: 405, body: { error: "method_not_allowed" } };
  if (!body.ok) return { status: 400, body: { error: "invalid_json", message: "the request body is not valid JSON" } };
  try {
    if (route === "/medicines/advice") return medicineAdvice(body.json, today);
    return route === "/finance/risk-profile" ? riskProfile(body.json) : savingsPlan(body.json, today);
  } catch {
    return { status: 500, body: { error: "internal_error" } };
  }
}

function riskProfile(json: unknown): AdviceAnswer {
  const answers = RiskProfileRequestSchema.safeParse(json);
  if (!answers.success) return { status: 400, body: { error: "invalid_body", message: describeZodError(answers.error) } };
  const profile = assessRisk(answers.data);
  const body: RiskProfileResponse = { score: profile.score, band: profile.band, allocation: profile.allocation, capped: profile.capped };
  return { status: 200, body };
}

/** `years` after `start` (an ISO date), on the same day of the month (the last day when it has none). */
function yearsAfter(start: string, years: number): string {
  const [year, month, day] = start.split("-").map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(year + years, month, 0)).getUTCDate();
  const date = new Date(Date.UTC(year + years, month - 1, Math.min(day, lastDay)));
  return date.toISOString().slice(0, 10);
}

function savingsPlan(json: unknown, today: string): AdviceAnswer {
  const request = SavingsPlanRequestSchema.safeParse(json);
  if (!request.success) return { status: 400, body: { error: "invalid_body", message: describeZodError(request.error) } };
  const { goalAmount, startingBalance, riskBand } = request.data;
  // A risk band instead of a return: the long-run return assumed for its model mix.
  const fromBand = riskBand === undefined ? null : assumedReturnForBand(riskBand);
  const annualReturnPercent = fromBand?.annualReturnPercent ?? request.data.annualReturnPercent ?? 0;
  const startDate = request.data.startDate ?? today;
  const goalDate = request.data.goalDate ?? yearsAfter(startDate, request.data.years ?? 1);
  const plan = planSavings({ goalAmount, startingBalance, startDate, goalDate, annualReturnPercent });
  if (!plan.ok) return { status: 422, body: { error: plan.error, message: "the goal date must be at least a whole month after the start" } };
  const body: SavingsPlanResponse = {
    monthlyContribution: plan.monthlyContribution,
    months: plan.months,
    status: plan.status,
    totalContributions: plan.totalContributions,
    projectedBalance: plan.projectedBalance,
    projectedGrowth: plan.projectedGrowth,
    startDate,
    goalDate,
    goalAmount,
    startingBalance,
    annualReturnPercent,
    returnFrom: fromBand === null ? null : { band: fromBand.band, allocation: fromBand.allocation, assetReturns: fromBand.assetReturns },
  };
  return { status: 200, body };
}

/** Said when nothing the person told us calls for a warning: the leaflet and a pharmacist still apply. */
const NO_WARNING = {
  en: "Nothing you told me rules it out, and I found no warning for you in my list. Take it as the leaflet says and ask a pharmacist if you are unsure.",
  zh: "根据您提供的情况，我的清单中没有针对您的警示。请按说明书服用，如有疑问请咨询药剂师。",
};

/** Said after the findings when a named medicine is not in the rules' list. */
const UNCHECKED = {
  en: (names: string) => `I couldn't check ${names} against it: ask a pharmacist.`,
  zh: (names: string) => `我无法核对${names}与它的相互作用，请咨询药剂师。`,
};

function medicineAdvice(json: unknown, today: string): AdviceAnswer {
  const request = MedicineAdviceRequestSchema.safeParse(json);
  if (!request.success) return { status: 400, body: { error: "invalid_body", message: describeZodError(request.error) } };
  const { medicine, asksDose, ageBand, fact, allergies, pregnancyWeeks, dueDate, currentMedicinesText, locale } = request.data;
  // The medicines in the person's own words: a yes without names ("some") is no answer yet.
  const reading = currentMedicinesText === undefined || currentMedicinesText === null ? undefined : readCurrentMedicines(currentMedicinesText);
  if (currentMedicinesText !== undefined && currentMedicinesText !== null && reading === undefined) {
    return { status: 422, body: { error: "unclear_medicines", message: "name the medicines taken now, or say none" } };
  }
  const pregnant = request.data.pregnant === true || fact === "pregnant" || pregnancyWeeks != null || (request.data.pregnant !== false && dueDate != null);
  const stage: PregnancyStage | null = !pregnant
    ? null
    : pregnancyWeeks != null
      ? pregnancyFromWeeks(pregnancyWeeks, today)
      : dueDate != null
        ? pregnancyFromDueDate(dueDate, today)
        : null;
  const conditions = [...request.data.conditions];
  if (fact !== undefined && fact !== null && fact !== "pregnant" && fact !== "none" && !conditions.includes(fact)) conditions.push(fact);
  const currentMedicines = [...request.data.currentMedicines, ...(reading?.known.map((entry) => entry.id) ?? []), ...(reading?.unknown ?? [])];
  const profile = {
    ageBand,
    pregnancy: pregnant ? { trimester: stage?.trimester ?? null, weeks: stage?.weeks ?? null } : null,
    conditions,
    allergies,
    currentMedicines,
  };
  const advice = adviseOnMedicine(profile, { medicine, asksDose });
  const findings = advice.findings.map((entry) => ({ rule: entry.rule, level: entry.level, message: { en: entry.message.en, zh: entry.message.zh } }));
  const known = MEDICINES.find((entry) => entry.id === advice.medicine?.id);
  const said =
    findings.length === 0
      ? NO_WARNING
      : { en: findings.map((entry) => entry.message.en).join(" "), zh: findings.map((entry) => entry.message.zh).join("") };
  const unchecked = advice.unrecognisedMedicines;
  const message =
    unchecked.length === 0 ? said : { en: `${said.en} ${UNCHECKED.en(unchecked.join(", "))}`, zh: `${said.zh}${UNCHECKED.zh(unchecked.join("、"))}` };
  const body: MedicineAdviceResponse = {
    medicine: advice.medicine?.id ?? null,
    medicineName: known ? { en: medicineName(known, "en"), zh: medicineName(known, "zh") } : { en: medicine, zh: medicine },
    level: advice.findings[0]?.level ?? "none",
    referral: advice.referral,
    withholdDose: advice.withholdDose,
    findings,
    message,
    basis: describeBasis(profile, reading),
    understood: {
      pregnancy: stage === null ? null : { weeks: stage.weeks, dueDate: stage.dueDate },
      currentMedicines: reading === undefined ? null : wordMedicines(reading, locale),
      uncheckedMedicines: unchecked,
    },
  };
  return { status: 200, body };
}
