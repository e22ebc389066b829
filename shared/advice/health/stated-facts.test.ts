// Reading what a person says about their medicines and pregnancy into what the medicine rules take.
import { describe, expect, it } from "vitest";
import type { HealthProfile } from "../../schemas/advice.ts";
import { describeBasis, pregnancyFromDueDate, pregnancyFromWeeks, readCurrentMedicines, wordMedicines } from "./stated-facts.ts";

const ids = (text: string) => {
  const reading = readCurrentMedicines(text);
  return reading === undefined ? undefined : { known: reading.known.map((medicine) => medicine.id), unknown: reading.unknown, none: reading.none };
};

describe("readCurrentMedicines", () => {
  it("finds the known medicines in a sentence, brands and Chinese names included, and keeps the unknown names", () => {
    expect(ids("I take warfarin daily and a vitamin D tablet")).toEqual({ known: ["warfarin"], unknown: ["vitamin D"], none: false });
    expect(ids("Eliquis, sertraline")).toEqual({ known: ["apixaban", "sertraline"], unknown: [], none: false });
    expect(ids("我每天吃华法林和阿司匹林")).toEqual({ known: ["warfarin", "aspirin"], unknown: [], none: false });
    expect(ids("metformin")).toEqual({ known: [], unknown: ["metformin"], none: false });
  });

  it("reads none in both languages, and no answer in a bare yes", () => {
    for (const none of ["none", "No", "nothing", "I don't take anything", "no regular medicines", "没有", "无", "不吃药"]) {
      expect(ids(none), none).toEqual({ known: [], unknown: [], none: true });
    }
    for (const unclear of ["yes", "some", "是的", "有"]) expect(ids(unclear), unclear).toBeUndefined();
  });

  it("words the reading so that it reads back the same, in the user's language", () => {
    const reading = readCurrentMedicines("I'm on warfarin and vitamin D")!;
    expect(wordMedicines(reading, "en")).toBe("warfarin, vitamin D");
    expect(wordMedicines(reading, "zh")).toBe("华法林、vitamin D");
    expect(ids(wordMedicines(reading, "en"))).toEqual({ known: ["warfarin"], unknown: ["vitamin D"], none: false });
    expect(ids(wordMedicines(reading, "zh"))).toEqual({ known: ["warfarin"], unknown: ["vitamin D"], none: false });
    const none = readCurrentMedicines("nope")!;
    expect([wordMedicines(none, "en"), wordMedicines(none, "zh")]).toEqual(["none", "无"]);
    expect(ids("none")?.none).toBe(true);
  });
});

describe("pregnancy weeks and due date", () => {
  it("turns weeks said today into a due date, and the due date back into today's weeks later", () => {
    const said = pregnancyFromWeeks(24, "2026-03-01");
    expect(said).toEqual({ weeks: 24, dueDate: "2026-06-21", trimester: 2 });
    // Ten weeks later the remembered due date says 34 weeks: the third trimester.
    expect(pregnancyFromDueDate("2026-06-21", "2026-05-10")).toEqual({ weeks: 34, dueDate: "2026-06-21", trimester: 3 });
    expect(pregnancyFromDueDate("2026-06-21", "2026-03-01").weeks).toBe(24);
    expect(pregnancyFromWeeks(12, "2026-03-01").trimester).toBe(1);
  });

  it("does not guess the weeks from a due date long past or too far ahead", () => {
    expect(pregnancyFromDueDate("2026-01-01", "2026-03-01")).toMatchObject({ weeks: null, trimester: null });
    expect(pregnancyFromDueDate("2027-06-01", "2026-03-01").weeks).toBeNull();
  });
});

describe("describeBasis", () => {
  const adult: HealthProfile = { ageBand: "adult", pregnancy: null, conditions: [], allergies: [], currentMedicines: [] };

  it("lists what the advice was checked against, per locale", () => {
    const basis = describeBasis(
      { ...adult, pregnancy: { trimester: 2, weeks: 24 }, conditions: ["asthma"], allergies: ["penicillin"] },
      readCurrentMedicines("warfarin"),
    );
    expect(basis).toEqual({ en: "24 weeks pregnant; asthma; allergic to penicillin; taking warfarin", zh: "怀孕 24 周；哮喘；对青霉素过敏；正在服用华法林" });
  });

  it("says so when the person has none of these", () => {
    expect(describeBasis(adult, readCurrentMedicines("none")).en).toBe("no pregnancy, conditions, allergies or regular medicines");
  });
});
