/**
 * A light Spanish stemmer for retrieval (in the spirit of Savoy's "light" stemmers, which do as
 * well as full Snowball stemming for search in Romance languages): plurals and gender endings,
 * common derivational endings, infinitive and participle endings. Input: lowercase, accents
 * already folded ("envío" → "envio"). "envíos", "envío", "enviar", "enviado" → "envi";
 * "devoluciones", "devolución" → "devolucion"; "tarjetas" → "tarjet".
 */
const SUFFIXES: ReadonlyArray<readonly [suffix: string, replacement: string]> = [
  ["amientos", ""],
  ["imientos", ""],
  ["amiento", ""],
  ["imiento", ""],
  ["aciones", "acion"],
  ["uciones", "ucion"],
  ["iciones", "icion"],
  ["mente", ""],
  ["ciones", "cion"],
  ["siones", "sion"],
  ["idades", "idad"],
  ["ables", "able"],
  ["ibles", "ible"],
  ["adas", ""],
  ["ados", ""],
  ["idas", ""],
  ["idos", ""],
  ["ando", ""],
  ["iendo", ""],
  ["ada", ""],
  ["ado", ""],
  ["ida", ""],
  ["ido", ""],
  ["ar", ""],
  ["er", ""],
  ["ir", ""],
  ["es", ""],
  ["an", ""],
  ["en", ""],
  ["as", ""],
  ["os", ""],
  ["a", ""],
  ["o", ""],
  ["e", ""],
  ["s", ""],
];

/** Words this short are kept whole: "mes", "dia", "iva" carry their meaning in every letter. */
const MIN_STEM = 3;

export function stemSpanish(word: string): string {
  if (/\d/.test(word)) return word;
  for (const [suffix, replacement] of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length + replacement.length >= MIN_STEM) {
      const stem = word.slice(0, word.length - suffix.length) + replacement;
      // After a plural: "envios" → "envio" → "envi"; after anything else we are done.
      return suffix === "es" || suffix === "s" || suffix === "as" || suffix === "os" ? stripVowel(stem) : stem;
    }
  }
  return word;
}

/** A final vowel left after a plural ending goes too (gender: "envio"/"envia" → "envi"). */
function stripVowel(stem: string): string {
  return stem.length > MIN_STEM && /[aeo]$/.test(stem) ? stem.slice(0, -1) : stem;
}
