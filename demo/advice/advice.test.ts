// The demo bank's advice endpoints, over HTTP on a free port: the engines' answers as a bot receives them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MedicineAdviceResponseSchema, RiskProfileResponseSchema, SavingsPlanResponseSchema } from "../../shared/schemas/advice.ts";
import { startDemoServices, type DemoServices } from "../services.ts";

let demo: DemoServices;
beforeAll(async () => {
  demo = await startDemoServices({ port: 0, today: () => "2026-01-01" });
});
afterAll(async () => {
  await demo.close();
});

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${demo.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const answers = { horizonYears: 10, fallReaction: "hold", incomeStability: "stable", experience: "basic", goal: "balanced" };

describe("POST /finance/risk-profile", () => {
  it("scores the documented example as growth, 80/15/5", async () => {
    const answer = await post("/finance/risk-profile", answers);
    expect(answer.status).toBe(200);
    const profile = RiskProfileResponseSchema.parse(answer.body);
    expect(profile).toEqual({ score: 68, band: "growth", allocation: { stocks: 80, bonds: 15, cash: 5 }, capped: null });
  });

  it("changes the advice when one answer changes (sell some after a fall: balanced, 60/35/5)", async () => {
    const profile = RiskProfileResponseSchema.parse((await post("/finance/risk-profile", { ...answers, fallReaction: "sell_some" })).body);
    expect(profile.score).toBe(58);
    expect(profile.band).toBe("balanced");
    expect(profile.allocation).toEqual({ stocks: 60, bonds: 35, cash: 5 });
  });

  it("caps the band for money needed within two years, and says why", async () => {
    const profile = RiskProfileResponseSchema.parse((await post("/finance/risk-profile", { ...answers, horizonYears: 1, fallReaction: "buy_more", goal: "growth" })).body);
    expect(profile.band).toBe("conservative");
    expect(profile.capped).toEqual({ reason: "short_horizon", uncappedBand: "balanced" });
  });

  it("refuses a missing answer, an unknown value, an extra field and a body that is not JSON with a 400 naming the problem", async () => {
    const missing = await post("/finance/risk-profile", { ...answers, goal: undefined });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("invalid_body");
    expect(String(missing.body.message)).toContain("goal");
    expect((await post("/finance/risk-profile", { ...answers, fallReaction: "panic" })).status).toBe(400);
    expect((await post("/finance/risk-profile", { ...answers, name: "Alice" })).status).toBe(400);
    const notJson = await post("/finance/risk-profile", "{ nope");
    expect(notJson).toEqual({ status: 400, body: { error: "invalid_json", message: "the request body is not valid JSON" } });
    const get = await fetch(`${demo.url}/finance/risk-profile`);
    expect(get.status).toBe(405);
  });
});

describe("POST /finance/savings-plan", () => {
  it("gives the documented worked example: 20,000 by 1 January 2031 from 2,000 at 5 % → 256.35 a month", async () => {
    const answer = await post("/finance/savings-plan", { goalAmount: 20000, startingBalance: 2000, startDate: "2026-01-01", goalDate: "2031-01-01", annualReturnPercent: 5 });
    expect(answer.status).toBe(200);
    const plan = SavingsPlanResponseSchema.parse(answer.body);
    expect(plan.monthlyContribution).toBe(256.35);
    expect(plan.months).toBe(60);
    expect(plan.totalContributions).toBe(15381);
    expect(plan.projectedBalance).toBe(20000.08);
  });

  it("starts today and takes a number of years instead of a date; a different assumed return changes the amount", async () => {
    const plan = SavingsPlanResponseSchema.parse((await post("/finance/savings-plan", { goalAmount: 20000, startingBalance: 2000, years: 5, annualReturnPercent: 5 })).body);
    expect(plan).toMatchObject({ startDate: "2026-01-01", goalDate: "2031-01-01", monthlyContribution: 256.35 });
    const atZero = SavingsPlanResponseSchema.parse((await post("/finance/savings-plan", { goalAmount: 20000, startingBalance: 2000, years: 5, annualReturnPercent: 0 })).body);
    expect(atZero.monthlyContribution).toBe(300);
  });

  it("assumes the return of a risk band's model mix when given the band instead of a return", async () => {
    const plan = SavingsPlanResponseSchema.parse((await post("/finance/savings-plan", { goalAmount: 20000, startingBalance: 2000, goalDate: "2031-01-01", riskBand: "growth" })).body);
    expect(plan.annualReturnPercent).toBe(5.35);
    expect(plan.returnFrom).toEqual({ band: "growth", allocation: { stocks: 80, bonds: 15, cash: 5 }, assetReturns: { stocks: 6, bonds: 3, cash: 2 } });
    const stated = SavingsPlanResponseSchema.parse((await post("/finance/savings-plan", { goalAmount: 20000, startingBalance: 2000, goalDate: "2031-01-01", annualReturnPercent: 5.35 })).body);
    expect(plan.monthlyContribution).toBe(stated.monthlyContribution);
    expect(stated.returnFrom).toBeNull();
    // A conservative band assumes less, so the same goal needs more a month.
    const conservative = SavingsPlanResponseSchema.parse((await post("/finance/savings-plan", { goalAmount: 20000, startingBalance: 2000, goalDate: "2031-01-01", riskBand: "conservative" })).body);
    expect(conservative.monthlyContribution).toBeGreaterThan(plan.monthlyContribution);
    expect((await post("/finance/savings-plan", { goalAmount: 1000, years: 2, annualReturnPercent: 3, riskBand: "growth" })).status).toBe(400);
    expect((await post("/finance/savings-plan", { goalAmount: 1000, years: 2, riskBand: "reckless" })).status).toBe(400);
  });

  it("refuses a goal date in the past (422), both or neither of a date and years (400)", async () => {
    const past = await post("/finance/savings-plan", { goalAmount: 1000, goalDate: "2025-06-01", annualReturnPercent: 3 });
    expect(past.status).toBe(422);
    expect(past.body.error).toBe("goal_date_not_after_start");
    expect((await post("/finance/savings-plan", { goalAmount: 1000, annualReturnPercent: 3 })).status).toBe(400);
    expect((await post("/finance/savings-plan", { goalAmount: 1000, goalDate: "2030-01-01", years: 4, annualReturnPercent: 3 })).status).toBe(400);
    expect((await post("/finance/savings-plan", { goalAmount: -5, years: 4, annualReturnPercent: 3 })).status).toBe(400);
  });
});

describe("POST /medicines/advice", () => {
  const advise = async (body: unknown) => {
    const answer = await post("/medicines/advice", body);
    expect(answer.status).toBe(200);
    return MedicineAdviceResponseSchema.parse(answer.body);
  };

  it("warns about ibuprofen (by a brand name) with a stated kidney condition, and sends the user to a doctor", async () => {
    const advice = await advise({ medicine: "Nurofen", ageBand: "adult", fact: "kidney_disease" });
    expect(advice).toMatchObject({ medicine: "ibuprofen", level: "ask_first", referral: "doctor", withholdDose: false });
    expect(advice.findings.map((entry) => entry.rule)).toEqual(["nsaid_kidney"]);
    expect(advice.message.en).toContain("kidney");
    expect(advice.message.zh).toContain("肾");
    expect(advice.medicineName).toEqual({ en: "ibuprofen", zh: "布洛芬" });
  });

  it("warns about ibuprofen in pregnancy, and says nothing against paracetamol with no stated condition", async () => {
    expect((await advise({ medicine: "ibuprofen", ageBand: "adult", fact: "pregnant" })).findings.map((entry) => entry.rule)).toEqual(["nsaid_pregnancy"]);
    const plain = await advise({ medicine: "paracetamol", ageBand: "adult", fact: "none" });
    expect(plain).toMatchObject({ medicine: "paracetamol", level: "none", referral: null, findings: [] });
    expect(plain.message.en).toContain("leaflet");
  });

  it("withholds a child's dose and refers (布洛芬), and refers a medicine it does not know", async () => {
    const child = await advise({ medicine: "布洛芬", ageBand: "child", asksDose: true });
    expect(child).toMatchObject({ medicine: "ibuprofen", level: "refer", withholdDose: true, referral: "pharmacist_or_doctor" });
    const unknown = await advise({ medicine: "snake oil", ageBand: "adult" });
    expect(unknown).toMatchObject({ medicine: null, level: "refer", referral: "pharmacist" });
  });

  it("reads the user's own facts as a bot sends them: a multiple-choice slot's list, medicines in words, pregnancy weeks", async () => {
    const advice = await advise({
      medicine: "ibuprofen",
      ageBand: "adult",
      pregnant: true,
      pregnancyWeeks: 24,
      dueDate: null,
      conditions: "asthma",
      allergies: "none",
      currentMedicinesText: "I take warfarin and vitamin D",
      locale: "en",
    });
    expect(advice.findings.map((entry) => [entry.rule, entry.level])).toEqual([
      ["nsaid_pregnancy_from_20_weeks", "do_not_take"],
      ["nsaid_anticoagulant", "do_not_take"],
      ["nsaid_asthma", "ask_first"],
    ]);
    expect(advice.message.en).toContain("I couldn't check vitamin D against it: ask a pharmacist.");
    expect(advice.basis.en).toBe("24 weeks pregnant; asthma; taking warfarin, vitamin D");
    // 24 weeks on 1 January 2026 (the service's today here): due 16 weeks later.
    expect(advice.understood).toEqual({ pregnancy: { weeks: 24, dueDate: "2026-04-23" }, currentMedicines: "warfarin, vitamin D", uncheckedMedicines: ["vitamin D"] });
  });

  it("counts today's weeks from a remembered due date, and words the medicines in Chinese", async () => {
    const advice = await advise({ medicine: "布洛芬", ageBand: "adult", pregnant: true, dueDate: "2026-06-04", conditions: "none", allergies: null, currentMedicinesText: "没有", locale: "zh" });
    expect(advice.understood).toEqual({ pregnancy: { weeks: 18, dueDate: "2026-06-04" }, currentMedicines: "无", uncheckedMedicines: [] });
    expect(advice.findings.map((entry) => entry.rule)).toEqual(["nsaid_pregnancy"]);
    expect(advice.basis.zh).toBe("怀孕 18 周");
    const penicillin = await advise({ medicine: "amoxicillin", ageBand: "older_adult", pregnant: null, allergies: "nsaid,penicillin", currentMedicinesText: "华法林", locale: "zh" });
    expect(penicillin.findings[0]).toMatchObject({ rule: "penicillin_allergy", level: "do_not_take" });
    expect(penicillin.understood.currentMedicines).toBe("华法林");
  });

  it("answers 422 to medicines said without a name (\"yes\"), so the bot asks which", async () => {
    const unclear = await post("/medicines/advice", { medicine: "ibuprofen", ageBand: "adult", currentMedicinesText: "yes" });
    expect(unclear).toEqual({ status: 422, body: { error: "unclear_medicines", message: "name the medicines taken now, or say none" } });
  });

  it("refuses an unknown age band or fact with a 400", async () => {
    expect((await post("/medicines/advice", { medicine: "ibuprofen", ageBand: "toddler" })).status).toBe(400);
    expect((await post("/medicines/advice", { medicine: "ibuprofen", ageBand: "adult", fact: "gout" })).status).toBe(400);
    expect((await post("/medicines/advice", { ageBand: "adult" })).status).toBe(400);
    expect((await post("/medicines/advice", { medicine: "ibuprofen", ageBand: "adult", conditions: "kidney_disease,gout" })).status).toBe(400);
    expect((await post("/medicines/advice", { medicine: "ibuprofen", ageBand: "adult", pregnancyWeeks: 60 })).status).toBe(400);
  });
});
