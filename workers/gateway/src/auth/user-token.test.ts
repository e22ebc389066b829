// User tokens checked in workerd with jose: HS256 with the deployment secret, RS256/ES256 with the
// keys an identity provider on loopback publishes (test/harness/jwks-server.ts), and every way a
// token must be refused — each a 401 `unauthorized` that never repeats the token.
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { importJWK, SignJWT, type JWK, type JWTPayload } from "jose";
import { describe, expect, inject, it } from "vitest";
import { signDevUserToken } from "../../../../devkit/user-tokens.ts";
import { userIdentityConfig, userTokenPolicy, type UserTokenPolicy } from "../../../../shared/user-identity-config.ts";
import { onError } from "../errors.ts";
import { requireUserToken, type UserHonoEnv } from "./require-user-token.ts";
import { userTokenError, verifyUserToken, type UserTokenResult } from "./user-token.ts";

declare module "vitest" {
  interface ProvidedContext {
    identityProviderUrl: string;
    identityProviderKeys: { rsa: JWK; ec: JWK };
  }
}

const SECRET = "unit-test-user-token-secret-0123456789";
const secretPolicy = userTokenPolicy(userIdentityConfig({ USER_TOKEN_SECRET: SECRET }));
const providerUrl = inject("identityProviderUrl");
const providerKeys = inject("identityProviderKeys");
const jwksPolicy = userTokenPolicy(userIdentityConfig({ USER_TOKEN_JWKS_URL: `${providerUrl}/jwks.json`, USER_TOKEN_SECRET: SECRET }));

const nowSeconds = () => Math.floor(Date.now() / 1000);

interface TokenOptions {
  alg?: "HS256" | "RS256" | "ES256";
  /** Claims; `undefined` removes one. Default: sub "user-42", iat now, exp in 10 minutes. */
  claims?: Record<string, unknown>;
  secret?: string;
  kid?: string;
}

async function token(options: TokenOptions = {}): Promise<string> {
  const alg = options.alg ?? "HS256";
  const now = nowSeconds();
  const claims = Object.fromEntries(
    Object.entries({ sub: "user-42", iat: now, exp: now + 600, ...options.claims }).filter(([, value]) => value !== undefined),
  ) as JWTPayload;
  const jwt = new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT", ...(alg === "HS256" ? {} : { kid: options.kid ?? (alg === "RS256" ? "rsa-1" : "ec-1") }) });
  if (alg === "HS256") return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
  return jwt.sign(await importJWK(alg === "RS256" ? providerKeys.rsa : providerKeys.ec, alg));
}

const b64url = (value: unknown): string =>
  btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

async function refused(policy: UserTokenPolicy, jwt: string | undefined): Promise<Extract<UserTokenResult, { ok: false }>> {
  const result = await verifyUserToken(policy, jwt);
  if (result.ok) throw new Error("the token was accepted");
  // Whatever the reason, the error a client sees never repeats the token or a part of it.
  const { message } = userTokenError(result);
  for (const part of (jwt ?? "").split(".").filter((piece) => piece.length > 8)) expect(message).not.toContain(part);
  expect(message).not.toContain("user-42");
  return result;
}

const fetches = async (): Promise<number> => (await (await fetch(`${providerUrl}/fetches`)).json<{ fetches: number }>()).fetches;

describe("user tokens signed with the deployment secret (HS256)", () => {
  it("accept a valid token and give its sub", async () => {
    const result = await verifyUserToken(secretPolicy, await token());
    expect(result).toEqual({ ok: true, user: { sub: "user-42", expiresAt: expect.any(Number) as number, issuedAt: expect.any(Number) as number } });
    expect(await verifyUserToken(secretPolicy, await token({ claims: { iat: undefined } }))).toMatchObject({ ok: true, user: { issuedAt: null } });
  });

  it("accept what devkit signs for local runs and tests, with the same secret only", async () => {
    expect(await verifyUserToken(secretPolicy, await signDevUserToken({ sub: "dev-user", secret: SECRET }))).toMatchObject({ ok: true, user: { sub: "dev-user" } });
    expect(await refused(secretPolicy, await signDevUserToken({ sub: "dev-user" }))).toMatchObject({ reason: "signature" });
    expect(await refused(secretPolicy, await signDevUserToken({ sub: "dev-user", secret: SECRET, expiresInSeconds: -60 }))).toMatchObject({ reason: "expired" });
  });

  it("refuse an expired token, with 30 s of clock skew tolerated", async () => {
    expect(await refused(secretPolicy, await token({ claims: { exp: nowSeconds() - 31 } }))).toMatchObject({ reason: "expired" });
    expect(await verifyUserToken(secretPolicy, await token({ claims: { exp: nowSeconds() - 10 } }))).toMatchObject({ ok: true });
  });

  it("refuse a token signed with another secret, or changed after signing", async () => {
    expect(await refused(secretPolicy, await token({ secret: "another-secret-that-is-long-enough-000" }))).toMatchObject({ reason: "signature" });
    const [header, , signature] = (await token()).split(".");
    const forged = `${header}.${b64url({ sub: "admin", exp: nowSeconds() + 600 })}.${signature}`;
    expect(await refused(secretPolicy, forged)).toMatchObject({ reason: "signature" });
  });

  it("refuse alg none and any algorithm but HS256", async () => {
    const unsigned = `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ sub: "user-42", exp: nowSeconds() + 600 })}.`;
    expect(await refused(secretPolicy, unsigned)).toMatchObject({ reason: "algorithm" });
    expect(await refused(secretPolicy, await token({ alg: "RS256" }))).toMatchObject({ reason: "algorithm" });
    expect(await refused(secretPolicy, await token({ alg: "ES256" }))).toMatchObject({ reason: "algorithm" });
  });

  it("require sub (1-128 visible ASCII characters) and exp", async () => {
    expect(await refused(secretPolicy, await token({ claims: { sub: undefined } }))).toMatchObject({ reason: "claim", claim: "sub" });
    expect(await refused(secretPolicy, await token({ claims: { exp: undefined } }))).toMatchObject({ reason: "claim", claim: "exp" });
    expect(await refused(secretPolicy, await token({ claims: { sub: "x".repeat(129) } }))).toMatchObject({ reason: "subject" });
    expect(await refused(secretPolicy, await token({ claims: { sub: "" } }))).toMatchObject({ reason: "subject" });
    expect(await refused(secretPolicy, await token({ claims: { sub: "用户 42" } }))).toMatchObject({ reason: "subject" });
    expect(await refused(secretPolicy, await token({ claims: { sub: 42 } }))).toMatchObject({ reason: "subject" });
    expect(await verifyUserToken(secretPolicy, await token({ claims: { sub: "x".repeat(128) } }))).toMatchObject({ ok: true });
  });

  it("refuse a token issued in the future, not valid yet, or valid for longer than a day", async () => {
    expect(await refused(secretPolicy, await token({ claims: { iat: nowSeconds() + 3600 } }))).toMatchObject({ reason: "issued_in_future" });
    expect(await verifyUserToken(secretPolicy, await token({ claims: { iat: nowSeconds() + 20 } }))).toMatchObject({ ok: true });
    expect(await refused(secretPolicy, await token({ claims: { nbf: nowSeconds() + 3600 } }))).toMatchObject({ reason: "not_yet_valid" });
    expect(await refused(secretPolicy, await token({ claims: { exp: nowSeconds() + 30 * 86_400 } }))).toMatchObject({ reason: "too_long_lived" });
  });

  it("check iss and aud when the deployment names them", async () => {
    const strict = userTokenPolicy(userIdentityConfig({ USER_TOKEN_SECRET: SECRET, USER_TOKEN_ISSUER: "https://shop.example", USER_TOKEN_AUDIENCE: "stratus" }));
    expect(await verifyUserToken(strict, await token({ claims: { iss: "https://shop.example", aud: ["stratus", "other"] } }))).toMatchObject({ ok: true });
    expect(await refused(strict, await token({ claims: { iss: "https://evil.example", aud: "stratus" } }))).toMatchObject({ reason: "claim", claim: "iss" });
    expect(await refused(strict, await token({ claims: { iss: "https://shop.example", aud: "another-app" } }))).toMatchObject({ reason: "claim", claim: "aud" });
    expect(await refused(strict, await token())).toMatchObject({ reason: "claim" });
  });

  it("refuse what is not a signed JWT, before parsing anything large", async () => {
    for (const text of ["abc", "a.b", "a.b.c.d.e", "eyJ.e30.", "a".repeat(10_000), "x.y.z", `${b64url({ typ: "JWT" })}.${b64url({})}.sig`]) {
      expect((await refused(secretPolicy, text)).reason).toMatch(/^(malformed|algorithm)$/);
    }
    expect(await refused(secretPolicy, undefined)).toMatchObject({ reason: "missing" });
  });

  it("are refused by a deployment that accepts none", async () => {
    expect(await refused(userTokenPolicy(userIdentityConfig({})), await token())).toMatchObject({ reason: "not_configured" });
  });
});

describe("user tokens signed with the host's published keys (JWKS)", () => {
  it("accept RS256 and ES256 tokens signed with the published keys, fetching the keys once", async () => {
    const before = await fetches();
    for (let i = 0; i < 5; i++) {
      expect(await verifyUserToken(jwksPolicy, await token({ alg: "RS256" }))).toMatchObject({ ok: true, user: { sub: "user-42" } });
      expect(await verifyUserToken(jwksPolicy, await token({ alg: "ES256" }))).toMatchObject({ ok: true, user: { sub: "user-42" } });
    }
    expect((await fetches()) - before).toBeLessThanOrEqual(1);
  });

  it("refuse an HS256 token even when signed with the public key as the secret (key confusion)", async () => {
    const publicKeyAsSecret = JSON.stringify({ kty: providerKeys.rsa.kty, n: providerKeys.rsa.n, e: providerKeys.rsa.e });
    expect(await refused(jwksPolicy, await token({ alg: "HS256", secret: publicKeyAsSecret }))).toMatchObject({ reason: "algorithm" });
    // The deployment's own secret is no use either once it names a JWKS.
    expect(await refused(jwksPolicy, await token({ alg: "HS256" }))).toMatchObject({ reason: "algorithm" });
  });

  it("refuse a token whose key id is not published, without fetching the keys again and again", async () => {
    await verifyUserToken(jwksPolicy, await token({ alg: "ES256" }));
    const before = await fetches();
    for (let i = 0; i < 5; i++) expect(await refused(jwksPolicy, await token({ alg: "ES256", kid: "unknown" }))).toMatchObject({ reason: "signature" });
    expect((await fetches()) - before).toBeLessThanOrEqual(1);
  });

  // workerd logs a refused connection as "uncaught exception … Network connection lost" even when
  // the fetch's rejection is handled (as jose does): that line is the runtime's, not a failure.
  it("say the keys are unavailable when the JWKS cannot be fetched", async () => {
    const unreachable = userTokenPolicy(userIdentityConfig({ USER_TOKEN_JWKS_URL: "http://127.0.0.1:1/jwks.json" }));
    expect(await refused(unreachable, await token({ alg: "RS256" }))).toMatchObject({ reason: "keys_unavailable" });
  });

  it("take a JWKS URL over https only, except on loopback", () => {
    expect(() => userIdentityConfig({ USER_TOKEN_JWKS_URL: "http://idp.example/jwks.json" })).toThrow(/USER_TOKEN_JWKS_URL/);
    expect(() => userIdentityConfig({ USER_TOKEN_SECRET: "short" })).toThrow(/USER_TOKEN_SECRET/);
    expect(() => userIdentityConfig({ USER_TOKEN_SECRET: "short" })).not.toThrow(/short/);
    expect(userTokenPolicy(userIdentityConfig({ USER_TOKEN_JWKS_URL: "https://idp.example/.well-known/jwks.json" }))).toMatchObject({ keys: "jwks", algorithms: ["RS256", "ES256"] });
  });
});

describe("a route behind requireUserToken", () => {
  const app = new Hono<UserHonoEnv>()
    .get("/v1/users/me", requireUserToken, (c) => c.json({ sub: c.var.user.sub }))
    .onError(onError);

  it("sees the verified user, and answers 401 unauthorized JSON without the token otherwise", async () => {
    const ok = await app.request("/v1/users/me", { headers: { Authorization: `Bearer ${await token()}` } }, env);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ sub: "user-42" });

    const expired = await token({ claims: { exp: nowSeconds() - 120 } });
    const response = await app.request("/v1/users/me", { headers: { Authorization: `Bearer ${expired}` } }, env);
    expect(response.status).toBe(401);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: { code: "unauthorized", message: "the user token has expired" } });
    expect(body).not.toContain(expired.split(".")[1]);

    const missing = await app.request("/v1/users/me", {}, env);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { code: "unauthorized", message: "missing user token" } });
  });
});
