// The finance engines as a user meets them: a questionnaire's band and allocation, a savings plan's monthly amount.
import { describe, expect, it } from "vitest";
import { RiskAnswersSchema, SavingsPlanInputSchema, type RiskAnswers } from "../../schemas/advice.ts";
import { FINANCE_DISCLAIMER, localised } from "../disclaimer.ts";
import { ASSET_CLASS_RETURNS, assumedReturnForBand } from "./assumed-return.ts";
import { assessRisk, riskBandName } from "./risk-profile.ts";
import { planSavings, wholeMonthsBetween } from "./savings-plan.ts";

const MIDDLE: RiskAnswers = { horizonYears: 10, fallReaction: "hold", incomeStability: "stable", experience: "basic", goal: "balanced" };

describe("assessRisk", () => {
  it("adds the answers' points from the scoring table into a score and a band", () => {
    const profile = assessRisk(MIDDLE);
    expect(profile.points).toEqual({ horizonYears: 22, fallReaction: 18, incomeStability: 10, experience: 5, goal: 13 });
    expect(profile.score).toBe(68);
    expect(profile.band).toBe("growth");
    expect(profile.allocation).toEqual({ stocks: 80, bonds: 15, cash: 5 });
    expect(profile.capped).toBeNull();
  });

  it("spans the scale from 0 to 100", () => {
    const lowest = assessRisk({ horizonYears: 1, fallReaction: "sell_all", incomeStability: "unstable", experience: "none", goal: "preserve" });
    expect(lowest).toMatchObject({ score: 0, band: "conservative", allocation: { stocks: 20, bonds: 60, cash: 20 } });
    const highest = assessRisk({ horizonYears: 30, fallReaction: "buy_more", incomeStability: "very_stable", experience: "advanced", goal: "growth" });
    expect(highest).toMatchObject({ score: 100, band: "aggressive", allocation: { stocks: 90, bonds: 10, cash: 0 } });
  });

  it("changes the band and the allocation when one answer changes", () => {
    const holds = assessRisk(MIDDLE);
    const sellsSome = assessRisk({ ...MIDDLE, fallReaction: "sell_some" });
    expect(sellsSome.score).toBe(holds.score - 10);
    expect(sellsSome.band).toBe("balanced");
    expect(sellsSome.allocation.stocks).toBeLessThan(holds.allocation.stocks);
    const preserves = assessRisk({ ...MIDDLE, goal: "preserve" });
    expect(preserves).toMatchObject({ score: 55, band: "balanced", allocation: { stocks: 60, bonds: 35, cash: 5 } });
  });

  it("caps the band when the money is needed soon, whatever the score", () => {
    const soon = assessRisk({ ...MIDDLE, horizonYears: 3, fallReaction: "buy_more", experience: "advanced", goal: "growth" });
    expect(soon.score).toBe(8 + 25 + 10 + 15 + 20);
    expect(soon.band).toBe("moderately_conservative");
    expect(soon.capped).toEqual({ reason: "short_horizon", uncappedBand: "growth" });
    const verySoon = assessRisk({ ...MIDDLE, horizonYears: 1.5, fallReaction: "buy_more", experience: "advanced", goal: "growth" });
    expect(verySoon.band).toBe("conservative");
  });

  it("keeps someone who would sell everything after a fall out of the growth bands", () => {
    const profile = assessRisk({ horizonYears: 25, fallReaction: "sell_all", incomeStability: "very_stable", experience: "advanced", goal: "growth" });
    expect(profile.score).toBe(75);
    expect(profile.band).toBe("balanced");
    expect(profile.capped).toEqual({ reason: "sells_on_fall", uncappedBand: "growth" });
  });

  it("gives allocations that add up to 100 % in every band", () => {
    for (const horizonYears of [0, 3, 7, 15, 40]) {
      for (const fallReaction of ["sell_all", "sell_some", "hold", "buy_more"] as const) {
        const { allocation } = assessRisk({ ...MIDDLE, horizonYears, fallReaction });
        expect(allocation.stocks + allocation.bonds + allocation.cash).toBe(100);
      }
    }
  });

  it("names the band in the reply's language and refuses answers outside the questionnaire", () => {
    expect(riskBandName("balanced", "zh")).toBe("平衡型");
    expect(riskBandName("balanced", "es")).toBe("Balanced");
    expect(RiskAnswersSchema.safeParse({ ...MIDDLE, fallReaction: "panic" }).success).toBe(false);
    expect(RiskAnswersSchema.safeParse({ ...MIDDLE, horizonYears: -1 }).success).toBe(false);
  });
});

describe("planSavings", () => {
  it("matches the annuity formula computed by hand: 20,000 in 5 years from 2,000 at 5 %", () => {
    // r = 0.05 / 12, (1 + r)^60 = 1.283359, 2,000 grows to 2,566.72; (20,000 − 2,566.72) / 68.00608 = 256.3489 → 256.35.
    const plan = planSavings({ goalAmount: 20_000, startingBalance: 2_000, startDate: "2026-01-01", goalDate: "2031-01-01", annualReturnPercent: 5 });
    expect(plan).toMatchObject({ ok: true, months: 60, monthlyContribution: 256.35, status: "needs_contributions", totalContributions: 15_381 });
    if (!plan.ok) return;
    expect(plan.projectedBalance).toBeGreaterThanOrEqual(20_000);
    expect(plan.projectedBalance).toBeLessThan(20_000.1);
    expect(plan.projectedGrowth).toBeCloseTo(plan.projectedBalance - 2_000 - 15_381, 2);
  });

  it("reproduces a textbook annuity: 100 a month for 12 months at 12 % is 1,268.25", () => {
    const plan = planSavings({ goalAmount: 1_268.25, startingBalance: 0, startDate: "2026-03-15", goalDate: "2027-03-15", annualReturnPercent: 12 });
    expect(plan).toMatchObject({ ok: true, months: 12, monthlyContribution: 100 });
  });

  it("at 0 % return divides what is missing by the months", () => {
    expect(planSavings({ goalAmount: 12_000, startingBalance: 0, startDate: "2026-01-10", goalDate: "2028-01-10", annualReturnPercent: 0 })).toMatchObject({
      ok: true,
      months: 24,
      monthlyContribution: 500,
      totalContributions: 12_000,
      projectedBalance: 12_000,
      projectedGrowth: 0,
    });
    // 1,000 short over 7 months: 142.857… rounds up to 142.86, so the goal is reached.
    expect(planSavings({ goalAmount: 3_000, startingBalance: 2_000, startDate: "2026-01-01", goalDate: "2026-08-01", annualReturnPercent: 0 })).toMatchObject({
      monthlyContribution: 142.86,
      projectedBalance: 3_000.02,
    });
  });

  it("asks for nothing when the goal is already reached, or the return alone reaches it", () => {
    expect(planSavings({ goalAmount: 20_000, startingBalance: 25_000, startDate: "2026-01-01", goalDate: "2030-01-01", annualReturnPercent: 0 })).toMatchObject({
      ok: true,
      status: "already_reached",
      monthlyContribution: 0,
      totalContributions: 0,
      projectedBalance: 25_000,
    });
    const growth = planSavings({ goalAmount: 20_000, startingBalance: 19_000, startDate: "2026-01-01", goalDate: "2031-01-01", annualReturnPercent: 5 });
    expect(growth).toMatchObject({ ok: true, status: "reached_by_growth", monthlyContribution: 0 });
    if (growth.ok) expect(growth.projectedBalance).toBeCloseTo(19_000 * 1.283359, 0);
  });

  it("asks for more each month when the assumed return is lower or the date sooner", () => {
    const base = { goalAmount: 50_000, startingBalance: 10_000, startDate: "2026-01-01", goalDate: "2036-01-01", annualReturnPercent: 7 };
    const at7 = planSavings(base);
    expect(at7).toMatchObject({ months: 120, monthlyContribution: 172.77 });
    const at3 = planSavings({ ...base, annualReturnPercent: 3 });
    const sooner = planSavings({ ...base, goalDate: "2031-01-01" });
    if (!at7.ok || !at3.ok || !sooner.ok) throw new Error("expected plans");
    expect(at3.monthlyContribution).toBeGreaterThan(at7.monthlyContribution);
    expect(sooner.monthlyContribution).toBeGreaterThan(at7.monthlyContribution);
  });

  it("refuses a goal date less than a month after the start", () => {
    expect(planSavings({ goalAmount: 1_000, startingBalance: 0, startDate: "2026-05-10", goalDate: "2026-06-09", annualReturnPercent: 4 })).toEqual({
      ok: false,
      error: "goal_date_not_after_start",
    });
    expect(planSavings({ goalAmount: 1_000, startingBalance: 0, startDate: "2026-05-10", goalDate: "2025-05-10", annualReturnPercent: 4 }).ok).toBe(false);
    expect(SavingsPlanInputSchema.safeParse({ goalAmount: 1_000, startingBalance: 0, startDate: "2026-02-30", goalDate: "2027-01-01", annualReturnPercent: 4 }).success).toBe(false);
  });

  it("counts whole months, a month-end counting as the end of its month", () => {
    expect(wholeMonthsBetween("2026-01-15", "2026-02-14")).toBe(0);
    expect(wholeMonthsBetween("2026-01-15", "2026-02-15")).toBe(1);
    expect(wholeMonthsBetween("2026-01-31", "2026-02-28")).toBe(1);
    expect(wholeMonthsBetween("2026-12-01", "2027-03-01")).toBe(3);
  });
});

describe("assumedReturnForBand", () => {
  it("weights the asset classes' assumed returns by the band's model mix, riskier bands assuming more", () => {
    expect(ASSET_CLASS_RETURNS).toEqual({ stocks: 6, bonds: 3, cash: 2 });
    expect(assumedReturnForBand("growth")).toEqual({ band: "growth", annualReturnPercent: 5.35, allocation: { stocks: 80, bonds: 15, cash: 5 }, assetReturns: { stocks: 6, bonds: 3, cash: 2 } });
    const returns = (["conservative", "moderately_conservative", "balanced", "growth", "aggressive"] as const).map((band) => assumedReturnForBand(band).annualReturnPercent);
    expect(returns).toEqual([3.4, 4.1, 4.75, 5.35, 5.7]);
  });
});

describe("the finance disclaimer", () => {
  it("says it is not advice, in English and Chinese, and falls back to English", () => {
    expect(localised(FINANCE_DISCLAIMER, "en")).toMatch(/not personal financial advice/);
    expect(localised(FINANCE_DISCLAIMER, "zh")).toMatch(/并非个人理财建议/);
    expect(localised(FINANCE_DISCLAIMER, "es")).toBe(FINANCE_DISCLAIMER.en);
  });
});
