import { MAX_ENTITY_NUMBER } from "../../../../../shared/schemas/nlu.ts";

/**
 * The value, if an entity may carry it (EntityNumberSchema: finite, within ±MAX_SAFE_INTEGER); else
 * undefined, so that "I paid 1000…000 dollars" (hundreds of digits, or 亿亿亿…) is no amount at all
 * instead of Infinity or a number rounded beyond recognition. Every numeric extractor ends here.
 */
export function safeNumber(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && Math.abs(value) <= MAX_ENTITY_NUMBER ? value : undefined;
}
