/**
 * The Web Crypto pieces the platforms' webhook checks use (workerd and Node alike): HMAC-SHA256,
 * SHA-1, constant-time comparison, and the encodings the platforms put signatures in.
 */
const encoder = new TextEncoder();

/** Bytes in a plain ArrayBuffer-backed array: what Web Crypto's BufferSource accepts in every lib. */
export const bytesOf = (data: string | Uint8Array): Uint8Array<ArrayBuffer> => Uint8Array.from(typeof data === "string" ? encoder.encode(data) : data);

const hmacKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (key === undefined) {
    key = crypto.subtle.importKey("raw", bytesOf(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    // A few secrets per deployment; bounded all the same.
    if (hmacKeys.size >= 64) hmacKeys.clear();
    hmacKeys.set(secret, key);
  }
  return key;
}

const joined = (parts: (string | Uint8Array)[]): Uint8Array<ArrayBuffer> => (parts.length === 1 ? bytesOf(parts[0] ?? "") : concat(parts.map(bytesOf)));

export async function hmacSha256(secret: string, ...parts: (string | Uint8Array)[]): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), joined(parts)));
}

/** Whether `signature` is the HMAC-SHA256 of the parts under `secret` (Web Crypto compares in constant time). */
export async function verifyHmacSha256(secret: string, signature: Uint8Array, ...parts: (string | Uint8Array)[]): Promise<boolean> {
  return crypto.subtle.verify("HMAC", await hmacKey(secret), bytesOf(signature), joined(parts));
}

export async function sha1(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-1", bytesOf(text)));
}

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytesOf(text)));
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** Whether two byte strings are equal, in time that does not depend on where they differ. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  // workerd's crypto.subtle.timingSafeEqual is not in Node, where the unit tests run: the classic
  // accumulate-the-differences loop, which reads every byte whatever it finds. Lengths are public.
  if (a.byteLength !== b.byteLength) return false;
  let difference = 0;
  for (let i = 0; i < a.byteLength; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/** Whether a presented secret (a header, a query parameter) is the expected one, in constant time. */
export function equalSecrets(expected: string, presented: string | undefined | null): boolean {
  if (presented === undefined || presented === null) return false;
  return equalBytes(bytesOf(expected), bytesOf(presented));
}

export const toHex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Lowercase hex of an even length to bytes, or undefined. */
export function fromHex(text: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(text)) return undefined;
  return Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

/** Standard base64 (with padding) to bytes, or undefined. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
}
