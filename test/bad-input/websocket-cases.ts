// Hostile WebSocket frames, generated from tables. Each must be answered with one error frame of the
// given code; the socket stays open and nothing is stored.
import type { ErrorCode } from "../../shared/errors.ts";
import { MAX_REQUEST_BYTES } from "../../shared/schemas/index.ts";
import { LENGTH_TEXTS } from "./http-cases.ts";

export interface HostileFrame {
  family: string;
  name: string;
  frame: string | Uint8Array;
  expect: ErrorCode;
}

const message = (fields: Record<string, unknown>) => JSON.stringify({ type: "message", ...fields });

const NOT_JSON = ["", " ", "{", '{"type":"message"', "{'type':'message'}", "message", "[1,]", '{"type":"message","text":"hi"}}', "NaN", "\u0000", '{"type":"message","text":"a\\x"}'];

export function hostileFrames(): HostileFrame[] {
  const frames: HostileFrame[] = [];
  const add = (name: string, frame: string | Uint8Array, expect: ErrorCode = "invalid_frame") => frames.push({ family: "WebSocket frames", name, frame, expect });

  add("binary: a valid message as bytes", new TextEncoder().encode(message({ text: "hello" })));
  add("binary: random bytes", Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 256));
  add("binary: empty", new Uint8Array());
  for (const text of NOT_JSON) add(`invalid JSON: ${JSON.stringify(text)}`, text);
  add("over-size: 64 KiB + 1 of JSON", message({ text: "a".repeat(MAX_REQUEST_BYTES) }), "payload_too_large");
  add("over-size: 512 KiB", "x".repeat(512 * 1024), "payload_too_large");
  add("over-size: 22,000 CJK characters (66 KB in UTF-8)", message({ text: "中".repeat(22_000) }), "payload_too_large");
  for (const type of ["typing", "MESSAGE", "ping", "", null, 1]) add(`unknown type ${JSON.stringify(type)}`, JSON.stringify({ type, text: "hello" }));
  add("no type", JSON.stringify({ text: "hello" }));
  add("a message without text", message({}));
  add("an array of messages", JSON.stringify([{ type: "message", text: "hello" }]));
  for (const extra of [{ role: "bot" }, { seq: 1 }, { clientMesageId: "typo" }, { token: "x" }]) add(`unknown field ${Object.keys(extra).join()}`, message({ text: "hello", ...extra }));
  add("__proto__", `{"type":"message","text":"hello","__proto__":{"polluted":true}}`);
  for (const [name, value] of [["a number", 1], ["null", null], ["an object", {}], ["an array", ["hi"]]] as [string, unknown][]) add(`text is ${name}`, message({ text: value }));
  add("clientMessageId is a number", message({ text: "hello", clientMessageId: 7 }));
  add("clientMessageId of 129 characters", message({ text: "hello", clientMessageId: "c".repeat(129) }));
  add("a lone surrogate", message({ text: "hi \ud800" }));
  add("4,000 lone surrogates", message({ text: "\udc00".repeat(4000) }));
  add("NUL", message({ text: "a\u0000b" }));
  add("an ANSI escape", message({ text: "\u001b[2J" }));
  add("empty text", message({ text: "   " }));
  for (const [name, text] of LENGTH_TEXTS) add(`4,001 ${name}`, message({ text: text(4001) }));
  return frames;
}
