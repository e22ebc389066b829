/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): a client may send `traceparent` with a
 * message, and the turn then carries that trace through every stage — the gateway, the
 * conversation object, both queues, the intent and dialogue Workers and the bot's backend calls —
 * with the trace id in every log line. A missing or malformed header starts a new trace; it is
 * never an error (the spec says to ignore what cannot be parsed).
 *
 *   traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
 *                ver trace-id (16 bytes)              parent-id (8)    flags
 */
export interface TraceContext {
  /** 32 lowercase hex characters, not all zero. */
  traceId: string;
  /** The span this stage works in: 16 lowercase hex characters, not all zero. */
  spanId: string;
  /** Two hex characters; bit 0 is "sampled". */
  flags: string;
}

const VERSION_00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
/** A later version may append fields after the flags (`-…`); its first four fields read as version 00. */
const LATER_VERSION = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;

/** The context a `traceparent` value carries, or undefined for anything the spec says to ignore. */
export function parseTraceparent(value: string | null | undefined): TraceContext | undefined {
  if (typeof value !== "string" || value.length > 512) return undefined;
  const header = value.trim();
  let traceId: string | undefined;
  let spanId: string | undefined;
  let flags: string | undefined;
  const v00 = VERSION_00.exec(header);
  if (v00) [, traceId, spanId, flags] = v00;
  else {
    const later = LATER_VERSION.exec(header);
    if (!later || later[1] === "00" || later[1] === "ff") return undefined;
    [, , traceId, spanId, flags] = later;
  }
  if (!traceId || !spanId || !flags || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, flags };
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`;
}

/** A new span of the same trace: what a stage sends on as the next stage's parent. */
export function childSpan(parent: TraceContext): TraceContext {
  return { ...parent, spanId: randomHex(8) };
}

/** A trace of our own, for a request that came without one (not sampled: we made no sampling decision). */
export function newTrace(): TraceContext {
  return { traceId: randomHex(16), spanId: randomHex(8), flags: "00" };
}

/** The context a stage continues: the one it was given if valid, else a new trace. */
export function continueTrace(traceparent: string | null | undefined): TraceContext {
  const parent = parseTraceparent(traceparent);
  return parent ? childSpan(parent) : newTrace();
}

/** Two hex digits per byte value: a span id is made for every stage of every turn. */
const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

function randomHex(bytes: number): string {
  for (;;) {
    const random = crypto.getRandomValues(new Uint8Array(bytes));
    let hex = "";
    let zero = true;
    for (const byte of random) {
      hex += BYTE_HEX[byte] ?? "00";
      if (byte !== 0) zero = false;
    }
    // All zeros is invalid (a chance of 2^-64 or less, but cheap to rule out).
    if (!zero) return hex;
  }
}
