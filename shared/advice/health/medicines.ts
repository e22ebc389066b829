/**
 * The medicines the health rules know, by generic name, with the names people use for them
 * (English generic and brand names, Chinese names) and the classes the rules test. A name not here
 * is kept as the user gave it and matches no rule.
 */

export type MedicineClass =
  /** Non-steroidal anti-inflammatory painkillers (aspirin included). */
  | "nsaid"
  | "paracetamol"
  | "penicillin"
  /** Blood thinners: warfarin and the newer anticoagulants. */
  | "anticoagulant"
  /** Antiplatelet medicines (clopidogrel; low-dose aspirin is recognised as aspirin). */
  | "antiplatelet"
  | "ssri"
  /** Blood-pressure and heart-failure medicines that NSAIDs interact with: ACE inhibitors, ARBs, diuretics. */
  | "ace_arb_diuretic"
  | "methotrexate"
  | "lithium"
  | "corticosteroid";

export interface Medicine {
  id: string;
  classes: readonly MedicineClass[];
  /** Lowercase English names (generic and brands) and Chinese names. */
  names: readonly string[];
}

export const MEDICINES: readonly Medicine[] = [
  { id: "ibuprofen", classes: ["nsaid"], names: ["ibuprofen", "advil", "nurofen", "motrin", "brufen", "布洛芬", "芬必得", "美林"] },
  { id: "naproxen", classes: ["nsaid"], names: ["naproxen", "aleve", "naprosyn", "萘普生"] },
  { id: "diclofenac", classes: ["nsaid"], names: ["diclofenac", "voltaren", "voltarol", "双氯芬酸", "扶他林"] },
  { id: "aspirin", classes: ["nsaid"], names: ["aspirin", "acetylsalicylic acid", "disprin", "阿司匹林", "乙酰水杨酸"] },
  {
    id: "paracetamol",
    classes: ["paracetamol"],
    names: ["paracetamol", "acetaminophen", "tylenol", "panadol", "calpol", "对乙酰氨基酚", "扑热息痛", "泰诺", "必理通", "百服宁"],
  },
  { id: "co-codamol", classes: ["paracetamol"], names: ["co-codamol", "cocodamol", "氨酚可待因"] },
  { id: "amoxicillin", classes: ["penicillin"], names: ["amoxicillin", "amoxycillin", "amoxil", "阿莫西林"] },
  { id: "penicillin", classes: ["penicillin"], names: ["penicillin", "phenoxymethylpenicillin", "penicillin v", "青霉素"] },
  { id: "flucloxacillin", classes: ["penicillin"], names: ["flucloxacillin", "氟氯西林"] },
  { id: "warfarin", classes: ["anticoagulant"], names: ["warfarin", "coumadin", "华法林"] },
  { id: "apixaban", classes: ["anticoagulant"], names: ["apixaban", "eliquis", "阿哌沙班"] },
  { id: "rivaroxaban", classes: ["anticoagulant"], names: ["rivaroxaban", "xarelto", "利伐沙班"] },
  { id: "edoxaban", classes: ["anticoagulant"], names: ["edoxaban", "lixiana", "艾多沙班"] },
  { id: "dabigatran", classes: ["anticoagulant"], names: ["dabigatran", "pradaxa", "达比加群"] },
  { id: "clopidogrel", classes: ["antiplatelet"], names: ["clopidogrel", "plavix", "氯吡格雷", "波立维"] },
  { id: "sertraline", classes: ["ssri"], names: ["sertraline", "zoloft", "lustral", "舍曲林"] },
  { id: "citalopram", classes: ["ssri"], names: ["citalopram", "celexa", "西酞普兰"] },
  { id: "escitalopram", classes: ["ssri"], names: ["escitalopram", "lexapro", "艾司西酞普兰"] },
  { id: "fluoxetine", classes: ["ssri"], names: ["fluoxetine", "prozac", "氟西汀", "百忧解"] },
  { id: "paroxetine", classes: ["ssri"], names: ["paroxetine", "seroxat", "paxil", "帕罗西汀"] },
  { id: "ramipril", classes: ["ace_arb_diuretic"], names: ["ramipril", "雷米普利"] },
  { id: "lisinopril", classes: ["ace_arb_diuretic"], names: ["lisinopril", "赖诺普利"] },
  { id: "enalapril", classes: ["ace_arb_diuretic"], names: ["enalapril", "依那普利"] },
  { id: "losartan", classes: ["ace_arb_diuretic"], names: ["losartan", "cozaar", "氯沙坦"] },
  { id: "candesartan", classes: ["ace_arb_diuretic"], names: ["candesartan", "坎地沙坦"] },
  { id: "furosemide", classes: ["ace_arb_diuretic"], names: ["furosemide", "frusemide", "lasix", "呋塞米", "速尿"] },
  { id: "bendroflumethiazide", classes: ["ace_arb_diuretic"], names: ["bendroflumethiazide", "苄氟噻嗪"] },
  { id: "methotrexate", classes: ["methotrexate"], names: ["methotrexate", "甲氨蝶呤"] },
  { id: "lithium", classes: ["lithium"], names: ["lithium", "priadel", "碳酸锂", "锂盐"] },
  { id: "prednisolone", classes: ["corticosteroid"], names: ["prednisolone", "prednisone", "泼尼松龙", "泼尼松", "强的松"] },
];

const BY_NAME = new Map(MEDICINES.flatMap((medicine) => medicine.names.map((name) => [name, medicine] as const)));

/** Lowercase, spacing folded, full-width forms folded ("Nurofen ", "ＡＳＰＩＲＩＮ"). */
export const fold = (text: string): string => text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();

/** The medicine a name stands for ("Nurofen" → ibuprofen), or undefined. */
export function identifyMedicine(name: string): Medicine | undefined {
  const folded = fold(name);
  return BY_NAME.get(folded) ?? BY_NAME.get(folded.replace(/\s*\d+(\.\d+)?\s*(mg|g|ml)$/, ""));
}

/**
 * Every known medicine named in a message, in order of first mention: English names as whole
 * words, Chinese names anywhere (Chinese is written without spaces).
 */
export function medicinesInText(text: string): Medicine[] {
  const folded = fold(text);
  const found: { medicine: Medicine; at: number }[] = [];
  for (const medicine of MEDICINES) {
    let first = -1;
    for (const name of medicine.names) {
      const at = /\p{Script=Han}/u.test(name) ? folded.indexOf(name) : wholeWord(folded, name);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    if (first >= 0) found.push({ medicine, at: first });
  }
  return found.sort((a, b) => a.at - b.at).map((entry) => entry.medicine);
}

function wholeWord(text: string, word: string): number {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "u").exec(text)?.index ?? -1;
}
