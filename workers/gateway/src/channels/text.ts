import { MAX_TEXT_LENGTH } from "../../../../shared/schemas/text.ts";

/** Control characters the message text rules refuse (shared/schemas/text.ts): all but tab and line breaks. */
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/gu;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

/**
 * A platform's message text as a valid Stratus message: control characters and lone surrogates
 * removed, trimmed, cut to 4,000 code points. A platform's user cannot be sent a 400, so what the API
 * would refuse is repaired instead; undefined when nothing is left (a sticker, an image).
 */
export function inboundText(raw: string | undefined): { text: string; truncated: boolean } | undefined {
  if (raw === undefined) return undefined;
  const cleaned = raw.replace(LONE_SURROGATE, "").replace(FORBIDDEN_CONTROL, "").trim();
  if (cleaned === "") return undefined;
  const codePoints = [...cleaned];
  if (codePoints.length <= MAX_TEXT_LENGTH) return { text: cleaned, truncated: false };
  return { text: codePoints.slice(0, MAX_TEXT_LENGTH).join("").trim(), truncated: true };
}

/** Text cut to at most `max` code points, with an ellipsis when cut (button labels, platform limits). */
export function clip(text: string, max: number): string {
  const codePoints = [...text];
  if (codePoints.length <= max) return text;
  return `${codePoints.slice(0, Math.max(0, max - 1)).join("").trimEnd()}…`;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The body as UTF-8 text, or undefined for bytes that are not UTF-8. */
export function utf8Text(body: Uint8Array): string | undefined {
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
}
