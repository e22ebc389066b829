import { deflateSync, inflateSync } from "fflate";

/**
 * How a `log` row's JSON body is kept: as text, or — when that is smaller — deflated against a
 * fixed dictionary of the rows' own structure (their short keys, enum values, the dialogue state's
 * field names). A row is a few hundred bytes with little repetition inside it, so plain deflate
 * gains little; against the dictionary it halves, and a conversation of eight turns of the example
 * bots fits the table's first 4 KB page instead of three (issue #17: ≤ 8 KB stored for eight turns).
 *
 * A compressed body is a BLOB whose first byte names the format, so a later dictionary can be added
 * beside this one: rows already written keep theirs. Text bodies (older rows, rows that do not
 * shrink) are read as they are. Format 2 (written now) carries the JSON's length in UTF-8 bytes
 * after that byte (4 bytes, big-endian), so the per-conversation cap, which counts bytes of text,
 * can sum a conversation without inflating it; format 1 (the same without the length) is still read.
 */
const FORMAT_DEFLATE_V1 = 1;
const FORMAT_DEFLATE_V2 = 2;
const V2_HEADER_BYTES = 5;

/**
 * The dictionary of format 1. Deflate finds a match in it as in earlier text, and a nearer match is
 * cheaper, so the commonest pieces come last. Never change it: stored rows depend on every byte.
 */
const DICTIONARY_V1 = new TextEncoder().encode(
  [
    '"handedOff":false,"handedOffBy":null,"tokensValidFrom":0,"usedTickets":[],"replaying":[]',
    '"info":{"id":"","bot":"","locale":null,"timezone":"UTC","createdAt":"',
    '"analytics":{"startedMinute":,"startedLocale":"en","handoffs":0}',
    '"so":[{"title":"","url":"https://',
    '"rp":1,"f":{"attempt":1,"stage":"intent","deliveries":1,"error":""},"o":"fallback"',
    '"e":[["order_id","datetime","number","email","","regex","lookup","builtin","tagger"]]',
    '"activeForm":{"name":"_form","requestedSlot":"","invalidAttempts":0,"confirming":null},"slots":{}',
    '"fallbackStreak":1,"disclaimerShown":true,"pendingConfirmation":',
    '{"x":"","c":"","i":"","p":"00--00","k":"","t":{"s":"d","a":1}}',
    '{"m":[{"x":"Sorry, I didn\'t understand. ","rs":"faq:","q":[""]},{"x":"Back to your ","rs":"utter_ask_',
    '"n":{"i":"out_of_scope","c":0.9,"k":["ask_faq",0.0],"l":"en","v":"detected"},"z":"bot","s":{"lastIntent":"","lastLocale":"en"}}',
  ].join(""),
);

/** Below this many bytes a row is kept as text: deflate's own framing would eat the gain. */
const MIN_COMPRESSED_BYTES = 64;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What a row stores for `json`: the text itself, or its compressed form when that is smaller. */
export function encodeRowBody(json: string): string | Uint8Array {
  const bytes = encoder.encode(json);
  if (bytes.byteLength < MIN_COMPRESSED_BYTES) return json;
  const deflated = deflateSync(bytes, { level: 6, dictionary: DICTIONARY_V1 });
  if (deflated.byteLength + V2_HEADER_BYTES >= bytes.byteLength) return json;
  const stored = new Uint8Array(deflated.byteLength + V2_HEADER_BYTES);
  stored[0] = FORMAT_DEFLATE_V2;
  new DataView(stored.buffer).setUint32(1, bytes.byteLength);
  stored.set(deflated, V2_HEADER_BYTES);
  return stored;
}

/** The JSON text of a stored body (SQLite returns a BLOB as an ArrayBuffer). */
export function decodeRowBody(stored: string | ArrayBuffer): string {
  if (typeof stored === "string") return stored;
  const bytes = new Uint8Array(stored);
  const start = bytes[0] === FORMAT_DEFLATE_V2 ? V2_HEADER_BYTES : bytes[0] === FORMAT_DEFLATE_V1 ? 1 : undefined;
  if (start === undefined) throw new Error(`a stored row body of unknown format ${String(bytes[0])}`);
  return decoder.decode(inflateSync(bytes.subarray(start), { dictionary: DICTIONARY_V1 }));
}

/** Bytes of JSON text a body holds (what the per-conversation cap counts), however it is stored. */
export const textBytes = (json: string): number => encoder.encode(json).byteLength;

/**
 * Bytes of text of a stored body from its first 5 bytes (`head`, null for a text body) and its stored
 * length: the length format 2 carries, else the stored length (text, and format 1 rows: those only
 * an earlier build of this session wrote, counted as stored).
 */
export function textBytesOfStored(head: ArrayBuffer | null, stored: number): number {
  if (head === null || head.byteLength < V2_HEADER_BYTES) return stored;
  const view = new DataView(head);
  return view.getUint8(0) === FORMAT_DEFLATE_V2 ? view.getUint32(1) : stored;
}
