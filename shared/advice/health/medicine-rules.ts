/**
 * Health personalisation for a medicine question: the user's age band, pregnancy, chronic
 * conditions, allergies and current medicines → warnings and referrals, as data with their text in
 * English and Chinese. The rules and their sources (NHS and MedlinePlus pages, by name) are listed
 * in docs/advice.md; the wording is ours. The module never gives a dose and decides nothing about
 * emergencies: the bot's emergency rule runs before any of this.
 *
 * Pure TypeScript: the dialogue Worker and tests run the same code.
 */
import type { Locale } from "../../schemas/nlu.ts";
import type { HealthProfile, MedicineQuestion } from "../../schemas/advice.ts";
import { identifyMedicine, type Medicine, type MedicineClass } from "./medicines.ts";

/** How strongly a finding speaks, strongest first. */
export const FINDING_LEVELS = ["do_not_take", "ask_first", "refer", "caution"] as const;
export type FindingLevel = (typeof FINDING_LEVELS)[number];
/** Who to ask. */
export type Referral = "doctor" | "pharmacist_or_doctor" | "pharmacist";

export const SOURCES = {
  nhs_ibuprofen_adults: "NHS: Ibuprofen for adults (who can and cannot take it; pregnancy; taking it with other medicines)",
  nhs_ibuprofen_children: "NHS: Ibuprofen for children",
  nhs_naproxen: "NHS: Naproxen",
  nhs_aspirin_pain: "NHS: Aspirin for pain relief",
  nhs_low_dose_aspirin: "NHS: Low-dose aspirin",
  nhs_paracetamol_adults: "NHS: Paracetamol for adults",
  nhs_paracetamol_children: "NHS: Paracetamol for children",
  nhs_warfarin: "NHS: Warfarin (taking it with other medicines)",
  nhs_amoxicillin: "NHS: Amoxicillin",
  medlineplus_ibuprofen: "MedlinePlus: Ibuprofen",
  medlineplus_acetaminophen: "MedlinePlus: Acetaminophen",
  medlineplus_naproxen: "MedlinePlus: Naproxen",
  fda_nsaids_20_weeks: "FDA Drug Safety Communication (2020): avoid NSAIDs in pregnancy at 20 weeks or later",
} as const;
export type SourceId = keyof typeof SOURCES;

type Text = Record<"en" | "zh", string>;

export interface Finding {
  rule: string;
  level: FindingLevel;
  refer: Referral;
  message: Text;
  sources: readonly SourceId[];
}

export interface MedicineAdvice {
  /** The medicine asked about, if the rules know it. */
  medicine: { id: string; classes: readonly MedicineClass[] } | null;
  /** Strongest first. Empty: nothing in the profile calls for a warning (the leaflet still applies). */
  findings: Finding[];
  /** Who the strongest finding sends the user to, or null. */
  referral: Referral | null;
  /** True when the bot must not state a dose (a child's), and points to a pharmacist or doctor instead. */
  withholdDose: boolean;
  /** Current medicines the rules do not know, so no interaction with them was checked. */
  unrecognisedMedicines: string[];
}

interface Context {
  profile: HealthProfile;
  question: MedicineQuestion;
  medicine: Medicine;
  /** The current medicines the rules know, besides the one asked about. */
  current: readonly Medicine[];
}

interface Rule {
  id: string;
  level: FindingLevel;
  refer: Referral;
  applies: (context: Context) => boolean;
  message: Text;
  sources: readonly SourceId[];
}

const is = (medicine: Medicine, kind: MedicineClass): boolean => medicine.classes.includes(kind);
const nsaid = (context: Context): boolean => is(context.medicine, "nsaid");
const has = (context: Context, condition: HealthProfile["conditions"][number]): boolean => context.profile.conditions.includes(condition);
const takes = (context: Context, kind: MedicineClass): boolean => context.current.some((medicine) => is(medicine, kind));
const takesMedicine = (context: Context, id: string): boolean => context.current.some((medicine) => medicine.id === id);
/** 20 weeks or more: known from the weeks, or from the third trimester (28 weeks on). */
const from20Weeks = (context: Context): boolean => {
  const pregnancy = context.profile.pregnancy;
  if (pregnancy === null) return false;
  const weeks = pregnancy.weeks ?? null;
  return weeks !== null ? weeks >= 20 : pregnancy.trimester === 3;
};
const NSAID_SOURCES: readonly SourceId[] = ["nhs_ibuprofen_adults", "nhs_naproxen", "medlineplus_ibuprofen", "medlineplus_naproxen"];

/** In order of importance within a level; findings are sorted by level, then by this order. */
export const MEDICINE_RULES: readonly Rule[] = [
  {
    id: "nsaid_allergy",
    level: "do_not_take",
    refer: "doctor",
    applies: (c) => nsaid(c) && c.profile.allergies.includes("nsaid"),
    message: {
      en: "You said you react to aspirin or other anti-inflammatory painkillers (NSAIDs). Do not take this one: it belongs to the same group. Ask a doctor or pharmacist what you can take instead.",
      zh: "您提到对阿司匹林或其他非甾体抗炎止痛药过敏。请不要服用这种药，它属于同一类药物。请咨询医生或药剂师可以改用什么药。",
    },
    sources: ["nhs_ibuprofen_adults", "nhs_aspirin_pain"],
  },
  {
    id: "penicillin_allergy",
    level: "do_not_take",
    refer: "doctor",
    applies: (c) => is(c.medicine, "penicillin") && c.profile.allergies.includes("penicillin"),
    message: {
      en: "This antibiotic is a penicillin, and you said you are allergic to penicillin. Do not take it, and make sure the doctor who prescribed it knows about your allergy.",
      zh: "这种抗生素属于青霉素类，而您提到对青霉素过敏。请不要服用，并确保开药的医生知道您的过敏情况。",
    },
    sources: ["nhs_amoxicillin"],
  },
  {
    id: "nsaid_stomach_ulcer",
    level: "do_not_take",
    refer: "doctor",
    applies: (c) => nsaid(c) && has(c, "stomach_ulcer"),
    message: {
      en: "Anti-inflammatory painkillers like this one can cause stomach bleeding, and with a stomach ulcer (now or in the past) they are not recommended. Ask your doctor or pharmacist about another painkiller.",
      zh: "这类非甾体抗炎止痛药可能引起胃出血，有胃溃疡（现在或曾经）的人不建议服用。请咨询医生或药剂师改用其他止痛药。",
    },
    sources: NSAID_SOURCES,
  },
  {
    id: "nsaid_pregnancy_from_20_weeks",
    level: "do_not_take",
    refer: "doctor",
    applies: (c) => nsaid(c) && from20Weeks(c),
    message: {
      en: "From 20 weeks of pregnancy, anti-inflammatory painkillers like this one can harm the baby (its kidneys, and from about 30 weeks its heart). Do not take it unless your doctor prescribes it; ask your midwife, doctor or pharmacist what to take instead.",
      zh: "怀孕 20 周起，这类非甾体抗炎止痛药可能伤害胎儿（影响胎儿肾脏，约 30 周起还会影响心脏）。除非医生开具，请不要服用；请咨询助产士、医生或药剂师可以改用什么药。",
    },
    sources: ["fda_nsaids_20_weeks", "nhs_ibuprofen_adults", "medlineplus_ibuprofen"],
  },
  {
    id: "nsaid_anticoagulant",
    level: "do_not_take",
    refer: "doctor",
    applies: (c) => nsaid(c) && (takes(c, "anticoagulant") || takes(c, "antiplatelet")),
    message: {
      en: "You take a blood thinner. Together with an anti-inflammatory painkiller like this one the risk of bleeding goes up. Do not take it unless your doctor says you can; ask them or a pharmacist about a safer painkiller.",
      zh: "您正在服用抗凝（稀释血液）药物。与这类非甾体抗炎止痛药同服会增加出血风险。除非医生同意，请不要服用；请咨询医生或药剂师更安全的止痛药。",
    },
    sources: ["nhs_warfarin", "nhs_ibuprofen_adults"],
  },
  {
    id: "nsaid_duplicate",
    level: "do_not_take",
    refer: "pharmacist",
    applies: (c) => nsaid(c) && c.medicine.id !== "aspirin" && c.current.some((medicine) => is(medicine, "nsaid") && medicine.id !== "aspirin" && medicine.id !== c.medicine.id),
    message: {
      en: "You already take another anti-inflammatory painkiller. Do not take two of them together: the side effects add up. A pharmacist can help you choose.",
      zh: "您已经在服用另一种非甾体抗炎止痛药。不要同时服用两种：副作用会叠加。药剂师可以帮您选择。",
    },
    sources: ["nhs_ibuprofen_adults"],
  },
  {
    id: "aspirin_under_16",
    level: "do_not_take",
    refer: "doctor",
    applies: (c) => c.medicine.id === "aspirin" && (c.profile.ageBand === "child" || c.profile.ageBand === "teen"),
    message: {
      en: "Aspirin should not be given to anyone under 16 unless a doctor prescribes it, because of the risk of Reye's syndrome, a rare but serious illness. Ask a pharmacist about a painkiller suitable for their age.",
      zh: "16 岁以下人士除非医生开具，不应服用阿司匹林，因为有引起瑞氏综合征（一种罕见但严重的疾病）的风险。请咨询药剂师适合其年龄的止痛药。",
    },
    sources: ["nhs_aspirin_pain"],
  },
  {
    id: "nsaid_kidney",
    level: "ask_first",
    refer: "doctor",
    applies: (c) => nsaid(c) && has(c, "kidney_disease"),
    message: {
      en: "With kidney disease, anti-inflammatory painkillers like this one can make your kidneys worse. Check with your doctor before taking it; paracetamol is often suggested instead, but ask first.",
      zh: "患有肾病时，这类非甾体抗炎止痛药可能加重肾脏损害。服用前请先咨询医生；通常会建议改用对乙酰氨基酚，但请先确认。",
    },
    sources: NSAID_SOURCES,
  },
  {
    id: "nsaid_pregnancy",
    level: "ask_first",
    refer: "doctor",
    applies: (c) => nsaid(c) && c.profile.pregnancy !== null && !from20Weeks(c),
    message: {
      en: "Anti-inflammatory painkillers like this one are not usually recommended in pregnancy (and not at all from 20 weeks). Paracetamol is usually tried first; check with your midwife, doctor or pharmacist before taking anything.",
      zh: "怀孕期间通常不建议服用这类非甾体抗炎止痛药（怀孕 20 周起则不应服用）。一般会先考虑对乙酰氨基酚；服用任何药物前请先咨询助产士、医生或药剂师。",
    },
    sources: ["nhs_ibuprofen_adults", "medlineplus_ibuprofen", "fda_nsaids_20_weeks"],
  },
  {
    id: "nsaid_heart",
    level: "ask_first",
    refer: "doctor",
    applies: (c) => nsaid(c) && (has(c, "heart_disease") || has(c, "high_blood_pressure")),
    message: {
      en: "With heart disease or high blood pressure, anti-inflammatory painkillers like this one can raise blood pressure and strain the heart. Check with your doctor or pharmacist before taking it.",
      zh: "患有心脏病或高血压时，这类非甾体抗炎止痛药可能升高血压、加重心脏负担。服用前请先咨询医生或药剂师。",
    },
    sources: NSAID_SOURCES,
  },
  {
    id: "nsaid_liver",
    level: "ask_first",
    refer: "doctor",
    applies: (c) => nsaid(c) && has(c, "liver_disease"),
    message: {
      en: "With liver disease, check with your doctor before taking an anti-inflammatory painkiller like this one.",
      zh: "患有肝病时，服用这类非甾体抗炎止痛药前请先咨询医生。",
    },
    sources: ["nhs_ibuprofen_adults"],
  },
  {
    id: "nsaid_bleeding_disorder",
    level: "ask_first",
    refer: "doctor",
    applies: (c) => nsaid(c) && has(c, "bleeding_disorder"),
    message: {
      en: "With a condition that makes you bleed more easily, anti-inflammatory painkillers like this one can make bleeding worse. Check with your doctor first.",
      zh: "如果您有容易出血的疾病，这类非甾体抗炎止痛药可能加重出血。请先咨询医生。",
    },
    sources: ["nhs_ibuprofen_adults"],
  },
  {
    id: "nsaid_asthma",
    level: "ask_first",
    refer: "pharmacist",
    applies: (c) => nsaid(c) && has(c, "asthma") && !c.profile.allergies.includes("nsaid"),
    message: {
      en: "Some people with asthma find that anti-inflammatory painkillers like this one make their asthma worse. If that has happened to you, do not take it; otherwise check with a pharmacist first.",
      zh: "部分哮喘患者服用这类非甾体抗炎止痛药后哮喘会加重。如果您曾出现这种情况，请不要服用；否则请先咨询药剂师。",
    },
    sources: ["nhs_ibuprofen_adults", "medlineplus_ibuprofen"],
  },
  {
    id: "nsaid_low_dose_aspirin",
    level: "ask_first",
    refer: "pharmacist_or_doctor",
    applies: (c) => nsaid(c) && c.medicine.id !== "aspirin" && takesMedicine(c, "aspirin"),
    message: {
      en: "You take aspirin. Taking another anti-inflammatory painkiller with it raises the risk of stomach bleeding and may stop low-dose aspirin protecting your heart. Ask a pharmacist or your doctor first.",
      zh: "您正在服用阿司匹林。同时服用另一种非甾体抗炎止痛药会增加胃出血风险，并可能削弱小剂量阿司匹林对心脏的保护作用。请先咨询药剂师或医生。",
    },
    sources: ["nhs_low_dose_aspirin", "nhs_ibuprofen_adults"],
  },
  {
    id: "nsaid_ssri",
    level: "ask_first",
    refer: "pharmacist_or_doctor",
    applies: (c) => nsaid(c) && takes(c, "ssri"),
    message: {
      en: "You take an antidepressant of the SSRI kind. With an anti-inflammatory painkiller like this one the risk of bleeding goes up. Ask a pharmacist or your doctor first.",
      zh: "您正在服用 SSRI 类抗抑郁药。与这类非甾体抗炎止痛药同服会增加出血风险。请先咨询药剂师或医生。",
    },
    sources: ["nhs_ibuprofen_adults"],
  },
  {
    id: "nsaid_blood_pressure_medicines",
    level: "ask_first",
    refer: "pharmacist_or_doctor",
    applies: (c) => nsaid(c) && takes(c, "ace_arb_diuretic"),
    message: {
      en: "You take a medicine for blood pressure or fluid (such as ramipril, losartan or a water tablet). Anti-inflammatory painkillers can weaken it and, together, strain the kidneys. Ask a pharmacist or your doctor first.",
      zh: "您正在服用降压药或利尿药（如雷米普利、氯沙坦或利尿剂）。非甾体抗炎止痛药可能减弱其效果，两者同服还会加重肾脏负担。请先咨询药剂师或医生。",
    },
    sources: ["nhs_ibuprofen_adults"],
  },
  {
    id: "nsaid_methotrexate_lithium",
    level: "ask_first",
    refer: "doctor",
    applies: (c) => nsaid(c) && (takes(c, "methotrexate") || takes(c, "lithium")),
    message: {
      en: "You take methotrexate or lithium. Anti-inflammatory painkillers can raise their level in the blood to a harmful one. Check with your doctor before taking this.",
      zh: "您正在服用甲氨蝶呤或锂盐。非甾体抗炎止痛药可能使它们在血液中的浓度升高到有害水平。服用前请先咨询医生。",
    },
    sources: ["nhs_ibuprofen_adults"],
  },
  {
    id: "nsaid_steroid",
    level: "ask_first",
    refer: "pharmacist_or_doctor",
    applies: (c) => nsaid(c) && takes(c, "corticosteroid"),
    message: {
      en: "You take a steroid such as prednisolone. With an anti-inflammatory painkiller the risk of stomach ulcers and bleeding goes up. Ask a pharmacist or your doctor first.",
      zh: "您正在服用泼尼松龙等类固醇药物。与非甾体抗炎止痛药同服会增加胃溃疡和出血的风险。请先咨询药剂师或医生。",
    },
    sources: ["nhs_ibuprofen_adults"],
  },
  {
    id: "paracetamol_liver",
    level: "ask_first",
    refer: "doctor",
    applies: (c) => is(c.medicine, "paracetamol") && has(c, "liver_disease"),
    message: {
      en: "With liver disease, paracetamol may need a lower dose or may not suit you. Check with your doctor before taking it.",
      zh: "患有肝病时，对乙酰氨基酚可能需要减量，也可能不适合您。服用前请先咨询医生。",
    },
    sources: ["nhs_paracetamol_adults", "medlineplus_acetaminophen"],
  },
  {
    id: "paracetamol_kidney",
    level: "ask_first",
    refer: "pharmacist_or_doctor",
    applies: (c) => is(c.medicine, "paracetamol") && has(c, "kidney_disease"),
    message: {
      en: "With kidney disease, check with a pharmacist or your doctor before taking paracetamol; it is often suitable, but the dose may need changing.",
      zh: "患有肾病时，服用对乙酰氨基酚前请先咨询药剂师或医生；它通常可以使用，但剂量可能需要调整。",
    },
    sources: ["nhs_paracetamol_adults"],
  },
  {
    id: "child_dose",
    level: "refer",
    refer: "pharmacist_or_doctor",
    applies: (c) => c.profile.ageBand === "child" && c.question.asksDose,
    message: {
      en: "A child's dose depends on their age and weight, so I won't give one here. Use the children's version of the medicine and its leaflet, and ask a pharmacist or doctor for the right dose.",
      zh: "儿童的剂量取决于年龄和体重，因此我不在这里给出剂量。请使用儿童剂型并阅读说明书，并向药剂师或医生询问合适的剂量。",
    },
    sources: ["nhs_paracetamol_children", "nhs_ibuprofen_children"],
  },
  {
    id: "nsaid_older_adult",
    level: "caution",
    refer: "pharmacist",
    applies: (c) => nsaid(c) && c.profile.ageBand === "older_adult",
    message: {
      en: "Over 65, anti-inflammatory painkillers are more likely to cause stomach bleeding and kidney problems. If you take it, use the lowest dose for the shortest time, and ask a pharmacist whether it suits you.",
      zh: "65 岁以上人士服用非甾体抗炎止痛药更容易出现胃出血和肾脏问题。如需服用，请以最低剂量、最短时间使用，并咨询药剂师是否适合您。",
    },
    sources: ["nhs_ibuprofen_adults"],
  },
  {
    id: "paracetamol_warfarin",
    level: "caution",
    refer: "pharmacist_or_doctor",
    applies: (c) => is(c.medicine, "paracetamol") && takesMedicine(c, "warfarin"),
    message: {
      en: "Paracetamol now and then is usually fine with warfarin, but taking it regularly for several days can change how warfarin works. If you need it regularly, tell your anticoagulant clinic, doctor or pharmacist.",
      zh: "偶尔服用对乙酰氨基酚通常可以与华法林同用，但连续几天规律服用可能影响华法林的效果。如需规律服用，请告知抗凝门诊、医生或药剂师。",
    },
    sources: ["nhs_paracetamol_adults", "nhs_warfarin"],
  },
  {
    id: "paracetamol_duplicate",
    level: "caution",
    refer: "pharmacist",
    applies: (c) => is(c.medicine, "paracetamol") && c.current.some((medicine) => is(medicine, "paracetamol") && medicine.id !== c.medicine.id),
    message: {
      en: "Something you already take contains paracetamol (co-codamol and many cold remedies do). Do not take two products with paracetamol together: too much harms the liver. Check the labels or ask a pharmacist.",
      zh: "您已经在服用的药物中含有对乙酰氨基酚（氨酚可待因及许多感冒药都含有）。不要同时服用两种含对乙酰氨基酚的产品：过量会损害肝脏。请查看标签或咨询药剂师。",
    },
    sources: ["nhs_paracetamol_adults"],
  },
];

const REFERRAL_STRENGTH: Record<Referral, number> = { doctor: 3, pharmacist_or_doctor: 2, pharmacist: 1 };

/** The warnings and referrals a medicine question calls for, given what the user told us about themselves. */
export function adviseOnMedicine(profile: HealthProfile, question: MedicineQuestion): MedicineAdvice {
  const medicine = identifyMedicine(question.medicine);
  const current: Medicine[] = [];
  const unrecognisedMedicines: string[] = [];
  for (const name of profile.currentMedicines) {
    const known = identifyMedicine(name);
    if (!known) unrecognisedMedicines.push(name);
    else if (known.id !== medicine?.id && !current.includes(known)) current.push(known);
  }
  const childDose = profile.ageBand === "child" && question.asksDose;
  if (!medicine) {
    const findings: Finding[] = childDose ? MEDICINE_RULES.filter((rule) => rule.id === "child_dose").map(finding) : [];
    findings.push(unknownMedicine);
    return { medicine: null, findings, referral: strongestReferral(findings), withholdDose: childDose, unrecognisedMedicines };
  }
  const context: Context = { profile, question, medicine, current };
  const findings = MEDICINE_RULES.filter((rule) => rule.applies(context))
    .map(finding)
    .sort((a, b) => FINDING_LEVELS.indexOf(a.level) - FINDING_LEVELS.indexOf(b.level));
  return { medicine: { id: medicine.id, classes: medicine.classes }, findings, referral: strongestReferral(findings), withholdDose: childDose, unrecognisedMedicines };
}

function finding(rule: Rule): Finding {
  return { rule: rule.id, level: rule.level, refer: rule.refer, message: rule.message, sources: rule.sources };
}

const unknownMedicine: Finding = {
  rule: "unknown_medicine",
  level: "refer",
  refer: "pharmacist",
  message: {
    en: "I don't have information on that medicine, so I can't check it against what you told me. A pharmacist can, in a few minutes.",
    zh: "我没有这种药物的资料，无法根据您提供的情况进行核对。药剂师可以很快帮您确认。",
  },
  sources: [],
};

function strongestReferral(findings: readonly Finding[]): Referral | null {
  let best: Referral | null = null;
  for (const entry of findings) if (best === null || REFERRAL_STRENGTH[entry.refer] > REFERRAL_STRENGTH[best]) best = entry.refer;
  return best;
}

/** A finding's text for a reply: Chinese for `zh`, English otherwise. */
export function findingText(entry: Finding, locale: Locale): string {
  return locale === "zh" ? entry.message.zh : entry.message.en;
}
