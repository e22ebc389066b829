/**
 * A fresh clientMessageId. `crypto.randomUUID` exists in browsers (secure contexts) and Node; React
 * Native has neither it nor always `getRandomValues`, so the last resort mixes the clock with
 * Math.random — ids only need to be unique within one conversation.
 */
export function newClientMessageId(): string {
  const webCrypto = (globalThis as { crypto?: Partial<Crypto> }).crypto;
  if (typeof webCrypto?.randomUUID === "function") return webCrypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof webCrypto?.getRandomValues === "function") webCrypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  const random = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${Date.now().toString(36)}-${random}`;
}
