/**
 * Retrieval tokens. Latin text: lowercase words without stop words, with a light plural/verb
 * suffix strip. Chinese has no spaces: every Han character and every pair of neighbours
 * (bigram), so "信用卡年费" matches "年费" and "信用卡" without a dictionary.
 */
const EN_STOP_WORDS = new Set(
  (
    "a an the is are was were be been am i me my we our you your it its this that these those to of in on at for " +
    "with by from and or but do does did can could would should will shall may might what which who whom how " +
    "when where why there here please hi hello hey about any some get got have has had want need know tell"
  ).split(" "),
);
const ZH_STOP_CHARS = new Set([..."的了吗呢吧啊呀是我你他她它们么这那个在有和就都也要会能请问"]);

const HAN = /\p{Script=Han}/u;
const SEGMENT = /\p{Script=Han}+|[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu;

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const [segment] of text.normalize("NFKC").toLowerCase().matchAll(SEGMENT)) {
    if (HAN.test(segment)) addHanTokens(segment, tokens);
    else addWordToken(segment, tokens);
  }
  return tokens;
}

function addHanTokens(run: string, tokens: string[]): void {
  const chars = [...run];
  chars.forEach((char, i) => {
    if (!ZH_STOP_CHARS.has(char)) tokens.push(char);
    const next = chars[i + 1];
    if (next !== undefined) tokens.push(char + next);
  });
}

function addWordToken(word: string, tokens: string[]): void {
  const cleaned = word.replace(/['’]s$/, "").replace(/['’.]/g, "");
  if (cleaned === "" || EN_STOP_WORDS.has(cleaned)) return;
  tokens.push(stem(cleaned));
}

/** Just enough stemming for FAQ lookup: fees/fee, cards/card, charged/charge, saving/save. */
function stem(word: string): string {
  const stripped = stripSuffix(word);
  // "charge" and "charged" → "charg"; "fee" stays (a double e is part of the word).
  return stripped.length > 3 && stripped.endsWith("e") && !stripped.endsWith("ee") ? stripped.slice(0, -1) : stripped;
}

function stripSuffix(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith("ing") && word.length > 5) return word.slice(0, -3).replace(/(.)\1$/, "$1");
  if (word.endsWith("ed") && word.length > 4) return word.slice(0, -2).replace(/(.)\1$/, "$1");
  if (word.endsWith("es") && /(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}
