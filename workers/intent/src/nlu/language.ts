import type { Locale } from "../../../../shared/schemas/nlu.ts";
import { isHan } from "./text.ts";

/**
 * en or zh from the script: Chinese when Han characters are at least as many as Latin words
 * ("我要听tfboys的歌" and "iphone 15多少钱" are Chinese; "order 订单 status please" is English).
 */
export function detectLocale(text: string): Locale {
  let han = 0;
  for (const char of text) if (isHan(char)) han++;
  if (han === 0) return "en";
  const latinWords = text.match(/[a-z]{2,}/giu)?.length ?? 0;
  return han >= latinWords ? "zh" : "en";
}
