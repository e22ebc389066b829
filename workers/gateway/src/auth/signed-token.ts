/**
 * Compact HMAC-SHA256 tokens: `<claims>.<signature>`, both base64url without padding. The claims are
 * a few fixed-width binary fields (each token kind lays out its own); the signature covers a label
 * naming the kind, the subject it is bound to (a conversation id) and the claims, so a token of one
 * kind or for one conversation is never valid as another. Checked without a storage read.
 *
 * Only the canonical base64url spelling is accepted: unused low bits must be zero, so no second
 * string is the same token.
 */
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

function signedBytes(label: string, subject: string, claims: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = encoder.encode(`${label}:${subject}:`);
  const bytes = new Uint8Array(prefix.byteLength + claims.byteLength);
  bytes.set(prefix);
  bytes.set(claims, prefix.byteLength);
  return bytes;
}

export async function signToken(secret: string, label: string, subject: string, claims: Uint8Array): Promise<string> {
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), signedBytes(label, subject, claims));
  return `${toBase64Url(claims)}.${toBase64Url(new Uint8Array(signature))}`;
}

/** The claims of a token signed for `label` and `subject` with exactly `claimBytes` bytes, or undefined. */
export async function verifyToken(
  secret: string,
  label: string,
  subject: string,
  token: string,
  claimBytes: number,
): Promise<DataView | undefined> {
  const dot = token.indexOf(".");
  if (dot < 0 || token.length > 256) return undefined;
  const claims = fromBase64Url(token.slice(0, dot), claimBytes);
  const signature = fromBase64Url(token.slice(dot + 1), 32);
  if (!claims || !signature) return undefined;
  // subtle.verify compares in constant time.
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret), signature, signedBytes(label, subject, claims));
  return valid ? new DataView(claims.buffer) : undefined;
}

/** The first 8 bytes of HMAC(label:subject), in hex: a stable key for `subject` that does not reveal it. */
export async function keyedDigest(secret: string, label: string, subject: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), signedBytes(label, subject, new Uint8Array())));
  return Array.from(digest.subarray(0, 8), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Exactly `length` bytes in canonical base64url, or undefined. */
function fromBase64Url(text: string, length: number): Uint8Array<ArrayBuffer> | undefined {
  if (text.length !== Math.ceil((length * 4) / 3) || !BASE64URL.test(text)) return undefined;
  const spareBits = (text.length * 6) % 8;
  if (spareBits > 0) {
    const last = ALPHABET.indexOf(text.at(-1) ?? "");
    if ((last & ((1 << spareBits) - 1)) !== 0) return undefined;
  }
  const padded = text.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/** A 48-bit unsigned integer (milliseconds since the epoch fit until the year 10889). */
export function setUint48(view: DataView, offset: number, value: number): void {
  view.setUint16(offset, Math.floor(value / 2 ** 32));
  view.setUint32(offset + 2, value % 2 ** 32);
}

export function getUint48(view: DataView, offset: number): number {
  return view.getUint16(offset) * 2 ** 32 + view.getUint32(offset + 2);
}
