/**
 * The reference ranking of ../shared/data/knowledge/README.md, for comparison in the same run: a
 * plain BM25 (k1 1.2, b 0.75) over title + text, lowercased; Latin text split on [a-z0-9]+, Chinese
 * into single characters plus character bigrams. No stemming, no stop words, no fields.
 */
const K1 = 1.2;
const B = 0.75;

const HAN = /\p{Script=Han}/u;

/** The README's tokenisation: [a-z0-9]+ runs, and every Han character plus each pair of neighbours. */
export function plainTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const [run] of text.toLowerCase().matchAll(/[a-z0-9]+|\p{Script=Han}+/gu)) {
    if (!HAN.test(run)) {
      tokens.push(run);
      continue;
    }
    const chars = [...run];
    tokens.push(...chars);
    for (let i = 0; i + 1 < chars.length; i++) tokens.push(`${chars[i]}${chars[i + 1]}`);
  }
  return tokens;
}

export class PlainBm25 {
  readonly #ids: string[] = [];
  readonly #lengths: number[] = [];
  readonly #postings = new Map<string, Array<[doc: number, tf: number]>>();
  #averageLength = 0;

  constructor(passages: ReadonlyArray<{ id: string; title: string; text: string }>) {
    for (const passage of passages) {
      const doc = this.#ids.length;
      const tokens = plainTokens(`${passage.title} ${passage.text}`);
      this.#ids.push(passage.id);
      this.#lengths.push(tokens.length);
      const counts = new Map<string, number>();
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [token, tf] of counts) {
        let list = this.#postings.get(token);
        if (!list) this.#postings.set(token, (list = []));
        list.push([doc, tf]);
      }
    }
    this.#averageLength = this.#lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.#ids.length);
  }

  /** Passage ids, best first (ties in index order), at most `limit`. */
  search(query: string, limit = 10): string[] {
    const scores = new Float64Array(this.#ids.length);
    const n = this.#ids.length;
    for (const token of new Set(plainTokens(query))) {
      const list = this.#postings.get(token);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const [doc, tf] of list) {
        const norm = K1 * (1 - B + (B * (this.#lengths[doc] ?? 0)) / this.#averageLength);
        scores[doc] = (scores[doc] ?? 0) + (idf * tf * (K1 + 1)) / (tf + norm);
      }
    }
    return topK(scores, limit).map((doc) => this.#ids[doc] ?? "");
  }
}

/** Indices of the `limit` highest positive scores, best first, ties by index. */
export function topK(scores: Float64Array, limit: number): number[] {
  const picked: number[] = [];
  for (let doc = 0; doc < scores.length; doc++) {
    const score = scores[doc] ?? 0;
    if (score <= 0) continue;
    if (picked.length === limit && score <= (scores[picked[picked.length - 1] ?? 0] ?? 0)) continue;
    let at = picked.length;
    while (at > 0 && (scores[picked[at - 1] ?? 0] ?? 0) < score) at--;
    picked.splice(at, 0, doc);
    if (picked.length > limit) picked.pop();
  }
  return picked;
}
