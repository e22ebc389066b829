// The user assertion backends receive with action calls. This file runs in Node (where the demo
// backend checks assertions) and in workerd (where the dialogue Worker signs them).
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  ACTION_ASSERTION_MAX_TTL_S,
  actionSigningKey,
  createActionAssertionVerifier,
  parseActionKey,
  publicActionKeys,
  signActionAssertion,
  type ActionCall,
  type PrivateActionKey,
} from "./action-assertion.ts";

async function newKey(kid: string): Promise<PrivateActionKey> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  return parseActionKey(JSON.stringify({ ...(await exportJWK(privateKey)), kid }));
}

const key = await newKey("stratus-1");
const secret = JSON.stringify(key);
const ORDERS = "http://localhost:8790";
const verify = createActionAssertionVerifier({ keys: publicActionKeys(key), audience: [ORDERS, "http://127.0.0.1:8790"] });
const conversationId = "0123456789abcdef0123456789abcdef";
const call = (overrides: Partial<ActionCall> = {}): ActionCall => ({
  sub: "user-42",
  bot: "ecommerce",
  conversationId,
  method: "POST",
  url: `${ORDERS}/orders/ORD-1000001/cancel?reason=late`,
  ...overrides,
});
const cancelRequest = { method: "POST", url: "/orders/ORD-1000001/cancel" };
const sign = async (overrides: Partial<ActionCall> = {}, now?: number): Promise<string> =>
  signActionAssertion(await actionSigningKey(secret), call(overrides), now === undefined ? {} : { now });

describe("the user assertion of an action call", () => {
  it("tells the backend which signed-in user, bot and conversation the call is for", async () => {
    const result = await verify(await sign(), cancelRequest);
    expect(result).toEqual({ ok: true, call: { sub: "user-42", bot: "ecommerce", conversationId, jti: expect.any(String) as string } });
  });

  it("says so when the user is anonymous", async () => {
    expect(await verify(await sign({ sub: null }), cancelRequest)).toMatchObject({ ok: true, call: { sub: null } });
  });

  it("lives at most 60 seconds", async () => {
    const now = Date.now();
    const assertion = await sign({}, now);
    expect(await verify(assertion, cancelRequest, now + 50_000)).toMatchObject({ ok: true });
    expect(await verify(assertion, cancelRequest, now + 70_000)).toEqual({ ok: false, reason: "expired" });
    const { payload } = decode(await signActionAssertion(await actionSigningKey(secret), call(), { ttlSeconds: 3600 }));
    expect(payload.exp - payload.iat).toBe(ACTION_ASSERTION_MAX_TTL_S);
  });

  it("is good for the one backend, method and path it was signed for", async () => {
    const assertion = await sign();
    expect(await verify(assertion, { method: "GET", url: "/orders/ORD-1000001/cancel" })).toEqual({ ok: false, reason: "wrong_request" });
    expect(await verify(assertion, { method: "POST", url: "/orders/ORD-4820193/cancel" })).toEqual({ ok: false, reason: "wrong_request" });
    const market = createActionAssertionVerifier({ keys: publicActionKeys(key), audience: "https://market.example" });
    expect(await market(assertion, cancelRequest)).toEqual({ ok: false, reason: "wrong_audience" });
  });

  it("cannot be changed, forged with another key, or signed with the public key as an HMAC secret", async () => {
    const assertion = await sign();
    const [header, payload, signature] = assertion.split(".") as [string, string, string];
    const altered = toBase64Url(JSON.stringify({ ...JSON.parse(fromBase64Url(payload)), sub: "someone-else" }));
    expect(await verify(`${header}.${altered}.${signature}`, cancelRequest)).toEqual({ ok: false, reason: "signature" });

    const attacker = await newKey("stratus-1");
    const forged = await signActionAssertion(await actionSigningKey(JSON.stringify(attacker)), call());
    expect(await verify(forged, cancelRequest)).toEqual({ ok: false, reason: "signature" });

    // Key confusion: HS256 "signed" with what the backend has, the public key.
    const claims = decode(assertion).payload;
    const confused = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "HS256", typ: "stratus-action+jwt", kid: "stratus-1" })
      .sign(new TextEncoder().encode(JSON.stringify(publicActionKeys(key).keys[0])));
    expect(await verify(confused, cancelRequest)).toEqual({ ok: false, reason: "signature" });

    const unsigned = `${toBase64Url(JSON.stringify({ alg: "none", typ: "stratus-action+jwt" }))}.${payload}.`;
    expect((await verify(unsigned, cancelRequest)).ok).toBe(false);
  });

  it("is not taken for anything else the key might sign, nor for a longer-lived token", async () => {
    const signingKey = await actionSigningKey(secret);
    const claims = decode(await sign()).payload;
    const userTokenShaped = await new SignJWT({ ...claims }).setProtectedHeader({ alg: "ES256", typ: "JWT", kid: "stratus-1" }).sign(signingKey.key);
    expect(await verify(userTokenShaped, cancelRequest)).toEqual({ ok: false, reason: "claims" });
    const now = Math.floor(Date.now() / 1000);
    const longLived = await new SignJWT({ ...claims, iat: now, exp: now + 3600 })
      .setProtectedHeader({ alg: "ES256", typ: "stratus-action+jwt", kid: "stratus-1" })
      .sign(signingKey.key);
    expect(await verify(longLived, cancelRequest)).toEqual({ ok: false, reason: "claims" });
    expect(await verify(undefined, cancelRequest)).toEqual({ ok: false, reason: "missing" });
    expect(await verify("not.a.jwt", cancelRequest)).toEqual({ ok: false, reason: "malformed" });
  });

  it("reads the key as JSON or base64url JSON, and names a bad one without its secret parts", () => {
    expect(parseActionKey(toBase64Url(secret))).toEqual(key);
    const { d, ...publicOnly } = key;
    let message = "";
    try {
      parseActionKey(JSON.stringify(publicOnly));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/ACTION_ASSERTION_KEY .* \(d\)/);
    try {
      parseActionKey(JSON.stringify({ ...key, crv: "P-384" }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain(d);
  });
});

function decode(jwt: string): { payload: { iat: number; exp: number } & Record<string, unknown> } {
  return { payload: JSON.parse(fromBase64Url(jwt.split(".")[1] ?? "")) as { iat: number; exp: number } };
}

function toBase64Url(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text))).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (char) => char.charCodeAt(0)));
}
