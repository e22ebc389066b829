import type { z } from "zod";
import { describeZodError } from "../../../../shared/zod-issues.ts";
import { ChannelPayloadError } from "./errors.ts";
import { utf8Text } from "./text.ts";

/** A verified body as UTF-8 text (400 when it is not). */
export function bodyText(body: Uint8Array): string {
  const text = utf8Text(body);
  if (text === undefined) throw new ChannelPayloadError("the request body is not valid UTF-8");
  return text;
}

/** A verified body's JSON, checked against the platform's documented shape (400 naming the problem). */
export function parseJson<Schema extends z.ZodType>(text: string, schema: Schema, what: string): z.output<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ChannelPayloadError(`the ${what} is not valid JSON`);
  }
  return parsePayload(json, schema, what);
}

export function parsePayload<Schema extends z.ZodType>(value: unknown, schema: Schema, what: string): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ChannelPayloadError(`the ${what} is not one the platform documents: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
