/**
 * The savings plan: the monthly amount that grows a starting balance into a goal amount by a date,
 * at a stated assumed annual return compounded monthly (docs/advice.md gives the formula and a
 * worked example). With r the monthly rate (annual % / 100 / 12), n the whole months from the start
 * to the goal date, P the starting balance and G the goal, deposits at the end of each month:
 *
 *   G = P·(1 + r)^n + M·((1 + r)^n − 1) / r      →   M = (G − P·(1 + r)^n) · r / ((1 + r)^n − 1)
 *   r = 0:  G = P + M·n                           →   M = (G − P) / n
 *
 * M is rounded up to the cent, so the plan reaches the goal. Pure TypeScript.
 */
import type { SavingsPlanInput } from "../../schemas/advice.ts";

export type SavingsPlan =
  | {
      ok: true;
      /** Whole months from the start to the goal date: the number of deposits. */
      months: number;
      /** The monthly rate used: annual % / 100 / 12. */
      monthlyRate: number;
      /** The deposit needed at the end of every month, in cents rounded up; 0 when the goal is met without one. */
      monthlyContribution: number;
      /** `already_reached`: the balance is at the goal today; `reached_by_growth`: the assumed return alone gets there; `needs_contributions`. */
      status: "already_reached" | "reached_by_growth" | "needs_contributions";
      /** The sum of the monthly deposits. */
      totalContributions: number;
      /** What the balance would be at the goal date with these deposits and the assumed return. */
      projectedBalance: number;
      /** The part of the projected balance that is return, not money paid in. */
      projectedGrowth: number;
    }
  | { ok: false; error: "goal_date_not_after_start" };

const cents = (value: number): number => Math.round(value * 100) / 100;

/** Whole months from `start` to `end` (ISO dates). A month counts when its day is reached, or the end is its month's last day. */
export function wholeMonthsBetween(start: string, end: string): number {
  const [y1, m1, d1] = start.split("-").map(Number) as [number, number, number];
  const [y2, m2, d2] = end.split("-").map(Number) as [number, number, number];
  const lastDayOfEndMonth = new Date(Date.UTC(y2, m2, 0)).getUTCDate();
  const shortOfTheDay = d2 < d1 && d2 !== lastDayOfEndMonth;
  return (y2 - y1) * 12 + (m2 - m1) - (shortOfTheDay ? 1 : 0);
}

export function planSavings(input: SavingsPlanInput): SavingsPlan {
  const months = wholeMonthsBetween(input.startDate, input.goalDate);
  if (months < 1) return { ok: false, error: "goal_date_not_after_start" };
  const rate = input.annualReturnPercent / 100 / 12;
  const growth = (1 + rate) ** months;
  const startGrown = input.startingBalance * growth;
  const annuityFactor = rate === 0 ? months : (growth - 1) / rate;
  let status: "already_reached" | "reached_by_growth" | "needs_contributions";
  let monthly = 0;
  if (input.startingBalance >= input.goalAmount) status = "already_reached";
  else if (startGrown >= input.goalAmount) status = "reached_by_growth";
  else {
    status = "needs_contributions";
    // Rounded to a millionth of a cent first: 250.000000001 is 250.00, not 250.01.
    monthly = Math.ceil(Number((((input.goalAmount - startGrown) / annuityFactor) * 100).toFixed(6))) / 100;
  }
  const totalContributions = cents(monthly * months);
  const projectedBalance = cents(startGrown + monthly * annuityFactor);
  return {
    ok: true,
    months,
    monthlyRate: rate,
    monthlyContribution: monthly,
    status,
    totalContributions,
    projectedBalance,
    projectedGrowth: cents(projectedBalance - input.startingBalance - totalContributions),
  };
}
