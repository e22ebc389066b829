/** English normalisation for intent features: contractions and a light suffix-stripping stemmer. */

const CONTRACTIONS: Record<string, string[]> = {
  "can't": ["can", "not"], "cannot": ["can", "not"], "won't": ["will", "not"], "shan't": ["shall", "not"],
  "i'm": ["i", "am"], "im": ["i", "am"], "let's": ["let", "us"], "it's": ["it", "is"], "what's": ["what", "is"],
  "whats": ["what", "is"], "dont": ["do", "not"], "cant": ["can", "not"], "didnt": ["did", "not"],
  "doesnt": ["does", "not"], "isnt": ["is", "not"], "wont": ["will", "not"],
};
const SUFFIX_CONTRACTIONS: Array<[string, string]> = [
  ["n't", "not"], ["'re", "are"], ["'ve", "have"], ["'ll", "will"], ["'d", "would"], ["'s", ""], ["'m", "am"],
];

/** "what's" → ["what", "is"]; "john's" → ["john"]. Input is lowercase. */
export function expandContraction(word: string): string[] {
  const whole = CONTRACTIONS[word];
  if (whole) return whole;
  if (!word.includes("'")) return [word];
  for (const [suffix, expansion] of SUFFIX_CONTRACTIONS) {
    if (word.endsWith(suffix) && word.length > suffix.length) {
      const head = word.slice(0, -suffix.length);
      return expansion === "" ? [head] : [head, expansion];
    }
  }
  return [word.replaceAll("'", "")];
}

const VOWEL = /[aeiouy]/;

/**
 * Light stemmer (plural, -ing, -ed, -ly, -ies …): maps inflections of a word to one form so that
 * "cancelled", "cancelling", "cancels" share a feature. Not linguistically exact; consistent is enough.
 */
export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  let w = word;
  if (w.endsWith("ies") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);
  for (const suffix of ["ingly", "edly", "ing", "ed"]) {
    if (w.endsWith(suffix)) {
      const head = w.slice(0, -suffix.length);
      if (head.length >= 3 && VOWEL.test(head)) {
        w = undouble(head);
      }
      break;
    }
  }
  if (w.endsWith("ly") && w.length > 5) w = w.slice(0, -2);
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  return w;
}

function undouble(head: string): string {
  const last = head[head.length - 1];
  if (last && last === head[head.length - 2] && !"lsz".includes(last)) return head.slice(0, -1);
  return head;
}
