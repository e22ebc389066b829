/**
 * A conversation token is an HMAC-SHA256 of the conversation id under TOKEN_SECRET: the gateway
 * checks it without reading storage, and it authorizes exactly one conversation.
 */
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

// Copied into a plain ArrayBuffer-backed array: what Web Crypto's BufferSource accepts in every lib.
const payload = (conversationId: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(encoder.encode(`stratus/conversation/v1:${conversationId}`));

export async function signConversationToken(secret: string, conversationId: string): Promise<string> {
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), payload(conversationId));
  return toBase64Url(new Uint8Array(signature));
}

export async function verifyConversationToken(secret: string, conversationId: string, token: string): Promise<boolean> {
  const signature = fromBase64Url(token);
  if (!signature) return false;
  // subtle.verify compares in constant time.
  return crypto.subtle.verify("HMAC", await hmacKey(secret), signature, payload(conversationId));
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * The 32 bytes of a token, or undefined. 43 characters carry 258 bits, so the last one has two
 * spare bits that atob ignores: only the canonical spelling (spare bits zero, as signing writes it)
 * is accepted, so that no second string is the same token.
 */
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/.test(text)) return undefined;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/") + "=");
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}
