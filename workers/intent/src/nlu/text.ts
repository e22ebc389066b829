/** Character classes and normalisation shared by the tokenizer, features and entity extractors. */

/** Han ideographs (CJK Unified + Ext A + compatibility), judged by the first UTF-16 code unit. */
export function isHan(char: string): boolean {
  const code = char.charCodeAt(0);
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0xf900 && code <= 0xfaff);
}

/**
 * Length-preserving normalisation: lowercase and full-width ASCII → half-width, so that
 * offsets computed on the normalised text are offsets into the original message.
 */
export function normalizeKeepingOffsets(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000) out += " ";
    else if (code === 0x2019 || code === 0x2018) out += "'";
    else out += text[i] ?? "";
  }
  const lowered = out.toLowerCase();
  // toLowerCase can change length for a few exotic characters (e.g. "İ"); keep the original then.
  return lowered.length === out.length ? lowered : out;
}

/**
 * Normalised form of an entity phrase (lookup phrases, synonym keys and the spans looked up in them):
 * trimmed, folded as in normalizeKeepingOffsets, inner whitespace collapsed to one space.
 */
export function normalizePhrase(phrase: string): string {
  return normalizeKeepingOffsets(phrase.trim()).replace(/\s+/g, " ");
}
