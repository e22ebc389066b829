/** Seeded PRNG (mulberry32) so that training is deterministic for a given seed. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace(values: Uint32Array | number[], random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const atI = values[i];
    const atJ = values[j];
    if (atI === undefined || atJ === undefined) throw new RangeError(`shuffle index ${i} or ${j} past length ${values.length}`);
    values[i] = atJ;
    values[j] = atI;
  }
}
