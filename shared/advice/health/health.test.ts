// Health personalisation: what the user would be warned about, and who they are sent to.
import { describe, expect, it } from "vitest";
import { HealthProfileSchema, type HealthProfile } from "../../schemas/advice.ts";
import { HEALTH_DISCLAIMER, localised } from "../disclaimer.ts";
import { MEDICINE_RULES, SOURCES, adviseOnMedicine, findingText } from "./medicine-rules.ts";
import { identifyMedicine, medicinesInText } from "./medicines.ts";

const ADULT: HealthProfile = { ageBand: "adult", pregnancy: null, conditions: [], allergies: [], currentMedicines: [] };
const ask = (profile: Partial<HealthProfile>, medicine: string, asksDose = false) => adviseOnMedicine({ ...ADULT, ...profile }, { medicine, asksDose });
const rules = (advice: ReturnType<typeof adviseOnMedicine>) => advice.findings.map((finding) => finding.rule);

describe("adviseOnMedicine", () => {
  it("has nothing to add for a healthy adult asking about ibuprofen or paracetamol", () => {
    expect(ask({}, "ibuprofen")).toEqual({ medicine: { id: "ibuprofen", classes: ["nsaid"] }, findings: [], referral: null, withholdDose: false, unrecognisedMedicines: [] });
    expect(ask({}, "paracetamol").findings).toEqual([]);
  });

  it("warns about ibuprofen with kidney disease and sends the user to a doctor, but not about paracetamol", () => {
    const advice = ask({ conditions: ["kidney_disease"] }, "Nurofen");
    expect(advice.medicine?.id).toBe("ibuprofen");
    expect(rules(advice)).toEqual(["nsaid_kidney"]);
    expect(advice.referral).toBe("doctor");
    expect(findingText(advice.findings[0]!, "en")).toMatch(/kidney/);
    expect(findingText(advice.findings[0]!, "zh")).toMatch(/肾/);
    expect(rules(ask({ conditions: ["kidney_disease"] }, "paracetamol"))).toEqual(["paracetamol_kidney"]);
  });

  it("treats pregnancy more strictly from 20 weeks (the weeks when known, else the third trimester)", () => {
    const early = ask({ pregnancy: { trimester: 1 } }, "ibuprofen");
    expect(early.findings.map((f) => [f.rule, f.level])).toEqual([["nsaid_pregnancy", "ask_first"]]);
    const unknownStage = ask({ pregnancy: { trimester: null } }, "naproxen");
    expect(rules(unknownStage)).toEqual(["nsaid_pregnancy"]);
    const late = ask({ pregnancy: { trimester: 3 } }, "ibuprofen");
    expect(late.findings.map((f) => [f.rule, f.level])).toEqual([["nsaid_pregnancy_from_20_weeks", "do_not_take"]]);
    expect(ask({ pregnancy: { trimester: 3 } }, "paracetamol").findings).toEqual([]);
    // Within the second trimester the weeks decide: 19 weeks is "ask first", 20 weeks "do not take".
    expect(rules(ask({ pregnancy: { trimester: 2, weeks: 19 } }, "ibuprofen"))).toEqual(["nsaid_pregnancy"]);
    const twenty = ask({ pregnancy: { trimester: 2, weeks: 20 } }, "ibuprofen");
    expect(twenty.findings.map((f) => [f.rule, f.level, f.refer])).toEqual([["nsaid_pregnancy_from_20_weeks", "do_not_take", "doctor"]]);
    expect(findingText(twenty.findings[0]!, "en")).toContain("From 20 weeks");
  });

  it("says not to take an NSAID with a stomach ulcer or an NSAID allergy, and checks asthma", () => {
    expect(ask({ conditions: ["stomach_ulcer"] }, "aspirin").findings[0]).toMatchObject({ rule: "nsaid_stomach_ulcer", level: "do_not_take" });
    const allergic = ask({ conditions: ["asthma"], allergies: ["nsaid"] }, "diclofenac");
    expect(rules(allergic)).toEqual(["nsaid_allergy"]); // the allergy says it all; no separate asthma check
    expect(ask({ conditions: ["asthma"] }, "ibuprofen").findings[0]).toMatchObject({ rule: "nsaid_asthma", level: "ask_first", refer: "pharmacist" });
  });

  it("cautions older adults about NSAIDs and puts the strongest finding first", () => {
    const advice = ask({ ageBand: "older_adult", conditions: ["heart_disease"], currentMedicines: ["Warfarin"] }, "ibuprofen");
    expect(rules(advice)).toEqual(["nsaid_anticoagulant", "nsaid_heart", "nsaid_older_adult"]);
    expect(advice.findings.map((f) => f.level)).toEqual(["do_not_take", "ask_first", "caution"]);
    expect(advice.referral).toBe("doctor");
  });

  it("warns about paracetamol with liver disease", () => {
    expect(ask({ conditions: ["liver_disease"] }, "acetaminophen").findings[0]).toMatchObject({ rule: "paracetamol_liver", refer: "doctor" });
  });

  it("refers a child's dosing question to a pharmacist or doctor and never gives a dose", () => {
    const advice = ask({ ageBand: "child" }, "Calpol", true);
    expect(advice.withholdDose).toBe(true);
    expect(advice.findings[0]).toMatchObject({ rule: "child_dose", level: "refer", refer: "pharmacist_or_doctor" });
    for (const text of advice.findings.map((f) => `${f.message.en} ${f.message.zh}`)) expect(text).not.toMatch(/\d+\s*(mg|ml|毫克|毫升)/i);
    // Even for a medicine the rules do not know.
    expect(ask({ ageBand: "child" }, "mystery syrup", true)).toMatchObject({ withholdDose: true, medicine: null });
    // An adult asking a dose, or a child's parent asking something else, is not withheld here.
    expect(ask({}, "paracetamol", true).withholdDose).toBe(false);
    expect(ask({ ageBand: "child" }, "paracetamol").withholdDose).toBe(false);
  });

  it("keeps aspirin from under-16s", () => {
    expect(ask({ ageBand: "teen" }, "aspirin").findings[0]).toMatchObject({ rule: "aspirin_under_16", level: "do_not_take" });
    expect(ask({ ageBand: "teen" }, "ibuprofen").findings).toEqual([]);
  });

  it("checks interactions with the medicines the user takes, in English or Chinese names", () => {
    expect(rules(ask({ currentMedicines: ["华法林"] }, "布洛芬"))).toEqual(["nsaid_anticoagulant"]);
    expect(rules(ask({ currentMedicines: ["Eliquis"] }, "naproxen"))).toEqual(["nsaid_anticoagulant"]);
    expect(rules(ask({ currentMedicines: ["aspirin 75 mg"] }, "ibuprofen"))).toEqual(["nsaid_low_dose_aspirin"]);
    expect(rules(ask({ currentMedicines: ["sertraline", "ramipril"] }, "ibuprofen"))).toEqual(["nsaid_ssri", "nsaid_blood_pressure_medicines"]);
    expect(rules(ask({ currentMedicines: ["naproxen"] }, "ibuprofen"))).toEqual(["nsaid_duplicate"]);
    expect(rules(ask({ currentMedicines: ["warfarin"] }, "paracetamol"))).toEqual(["paracetamol_warfarin"]);
    expect(rules(ask({ currentMedicines: ["co-codamol"] }, "Panadol"))).toEqual(["paracetamol_duplicate"]);
    expect(rules(ask({ currentMedicines: ["methotrexate"] }, "diclofenac"))).toEqual(["nsaid_methotrexate_lithium"]);
  });

  it("warns a penicillin-allergic user about amoxicillin", () => {
    expect(ask({ allergies: ["penicillin"] }, "amoxicillin").findings[0]).toMatchObject({ rule: "penicillin_allergy", level: "do_not_take" });
    expect(ask({ allergies: ["penicillin"] }, "ibuprofen").findings).toEqual([]);
  });

  it("says so when it does not know a medicine, and lists current medicines it could not check", () => {
    const advice = ask({ currentMedicines: ["warfarin", "herbal tonic"] }, "zapamycin");
    expect(advice.medicine).toBeNull();
    expect(rules(advice)).toEqual(["unknown_medicine"]);
    expect(advice.referral).toBe("pharmacist");
    expect(advice.unrecognisedMedicines).toEqual(["herbal tonic"]);
  });

  it("has every rule's message in English and Chinese, with known sources", () => {
    for (const rule of MEDICINE_RULES) {
      expect(rule.message.en.length, rule.id).toBeGreaterThan(20);
      expect(rule.message.zh, rule.id).toMatch(/\p{Script=Han}/u);
      for (const source of rule.sources) expect(SOURCES[source], rule.id).toBeDefined();
    }
  });

  it("refuses a profile with an unknown condition", () => {
    expect(HealthProfileSchema.safeParse({ ...ADULT, conditions: ["flu"] }).success).toBe(false);
  });
});

describe("medicine names", () => {
  it("recognise generic, brand and Chinese names", () => {
    expect(identifyMedicine("  ADVIL ")?.id).toBe("ibuprofen");
    expect(identifyMedicine("Tylenol")?.id).toBe("paracetamol");
    expect(identifyMedicine("扑热息痛")?.id).toBe("paracetamol");
    expect(identifyMedicine("aspirin 75mg")?.id).toBe("aspirin");
    expect(identifyMedicine("vitamin c")).toBeUndefined();
  });

  it("are found in a message in the order they are mentioned", () => {
    expect(medicinesInText("Can I take Nurofen with my warfarin?").map((m) => m.id)).toEqual(["ibuprofen", "warfarin"]);
    expect(medicinesInText("我在吃华法林，能吃布洛芬吗").map((m) => m.id)).toEqual(["warfarin", "ibuprofen"]);
    // Whole words only: "aspiring" is not aspirin.
    expect(medicinesInText("an aspiring runner")).toEqual([]);
  });
});

describe("the health disclaimer", () => {
  it("says it is not a diagnosis, in English and Chinese", () => {
    expect(localised(HEALTH_DISCLAIMER, "en")).toMatch(/not a diagnosis/);
    expect(localised(HEALTH_DISCLAIMER, "zh")).toMatch(/不是诊断/);
  });
});
