/** 32-bit FNV-1a over UTF-16 code units: feature strings → stable ids (same in Node and workerd). */
export const FNV_OFFSET = 0x811c9dc5;

export function hashStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

export function hashString(text: string, seed: number = FNV_OFFSET): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = hashStep(hash, text.charCodeAt(i));
  return hash >>> 0;
}
