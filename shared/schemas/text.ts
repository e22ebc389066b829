import { z } from "zod";

/**
 * The text people write, as every API accepts it (user and agent messages, over HTTP and WebSocket,
 * and `POST /v1/nlu/parse`). The rules, in order:
 *
 * 1. Well-formed Unicode: a lone UTF-16 surrogate (`"\ud800"` in JSON) is refused, not repaired.
 *    Storage would turn it into U+FFFD, so the stored text would differ from the one sent and an
 *    honest retry with the same clientMessageId would look like a conflict; refusing it keeps
 *    "what you sent is what is stored" true for every accepted text.
 * 2. No control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) except tab, line
 *    feed and carriage return: NUL truncates text in C libraries and logs, escape sequences repaint
 *    terminals, and no chat user types them.
 * 3. Trimmed, then 1 to MAX_TEXT_LENGTH characters, counted as Unicode code points — JSON Schema's
 *    `maxLength` counts the same way — so 4,000 emoji or 4,000 CJK characters fit, as 4,000 letters do.
 */
export const MAX_TEXT_LENGTH = 4000;

/** The index of the first lone surrogate, or -1 when `text` is well-formed. */
export function loneSurrogateIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return i;
  }
  return -1;
}

const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

/** Code points in a well-formed string: UTF-16 units minus the second half of each pair. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) length--;
  }
  return length;
}

const hex = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, "0")}`;

export const MessageTextSchema = z
  .string()
  .check((ctx) => {
    const surrogate = loneSurrogateIndex(ctx.value);
    if (surrogate >= 0) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        message: `text is not valid Unicode: a lone surrogate (${hex(ctx.value.charCodeAt(surrogate))}) at index ${surrogate}`,
      });
      return;
    }
    const control = FORBIDDEN_CONTROL.exec(ctx.value);
    if (control) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        message: `text contains a control character (${hex(control[0].charCodeAt(0))}) at index ${control.index}`,
      });
    }
  })
  .trim()
  .refine((text) => text.length > 0, "text is empty")
  .refine((text) => codePointLength(text) <= MAX_TEXT_LENGTH, `text is longer than ${MAX_TEXT_LENGTH} characters`)
  .meta({ minLength: 1, maxLength: MAX_TEXT_LENGTH, description: "1–4,000 characters (code points) after trimming; well-formed Unicode, no control characters but tab and line breaks" });
