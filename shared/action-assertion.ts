/**
 * The user assertion a bot's backend receives with each action call: a short-lived JWT, signed by
 * the dialogue Worker, saying which user (the verified `sub`, or none for an anonymous user),
 * which bot and which conversation the call is for, so the backend shows and changes only that
 * user's own data (the shop's orders).
 *
 * ES256 with a published key rather than HS256 with a shared secret: a backend holds only the
 * public key, so neither it nor anyone who reads its configuration can mint an assertion; one
 * deployment's bots may call backends of different teams or companies (the shop's order API, a
 * market-data vendor), and none of them can then speak for a user to another. The key has an id
 * (`kid`), so a new key is published beside the old one for the 60 s an assertion lives.
 *
 * Each assertion is bound to its call (RFC 8725's explicit typing and audience, RFC 9449's
 * `htm`/`htu`): `typ` stratus-action+jwt (never confused with a user token), `aud` the backend's
 * origin, `htm` and `htu` the method and URL (without query) of the call, `exp` at most 60 s after
 * `iat`, a random `jti`. An assertion seen by one backend cannot be replayed to another, to another
 * path, or a minute later.
 *
 * The dialogue Worker signs (`signActionAssertion`) with ACTION_ASSERTION_KEY; a backend checks
 * with `createActionAssertionVerifier` (jose runs in Node, Workers, Deno and browsers), given the
 * deployment's public keys (`publicActionKeys`, which the gateway publishes).
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  importJWK,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from "jose";
import { z } from "zod";
import { definePlatformEnv, envParser, optionalStringVar } from "./env.ts";
import { BotIdSchema } from "./schemas/catalog.ts";
import { ConversationIdSchema } from "./schemas/conversation.ts";
import { UserSubjectSchema } from "./schemas/profile.ts";

/** The request header that carries the assertion to the backend. */
export const ACTION_ASSERTION_HEADER = "Stratus-User-Assertion";
/** The JWT `typ` of an assertion (explicit typing, RFC 8725 3.11). */
export const ACTION_ASSERTION_TYPE = "stratus-action+jwt";
export const ACTION_ASSERTION_ISSUER = "stratus";
export const ACTION_ASSERTION_ALGORITHM = "ES256";
/** The longest an assertion lives. */
export const ACTION_ASSERTION_MAX_TTL_S = 60;
/** Clock difference tolerated between the dialogue Worker and a backend. */
export const ACTION_ASSERTION_CLOCK_SKEW_S = 5;

/**
 * The dialogue Worker's setting, in the Workers' config style (spread it into the dialogue
 * config): without a key, actions are called without an assertion, as before.
 */
export const ACTION_ASSERTION_ENV = {
  /** The private P-256 signing key (see `parseActionKey`); its public half is published by the gateway. */
  ACTION_ASSERTION_KEY: optionalStringVar(),
};
export const actionAssertionConfig = envParser(definePlatformEnv(ACTION_ASSERTION_ENV));

/**
 * ACTION_ASSERTION_KEY: the private P-256 key as a JWK with its `kid`, as JSON or as base64url of
 * that JSON (the form `.dev.vars` holds, which has no quotes).
 */
const PrivateActionKeySchema = z.object({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
  kid: z.string().min(1).max(128),
});
export type PrivateActionKey = z.infer<typeof PrivateActionKeySchema>;

export function parseActionKey(secret: string): PrivateActionKey {
  const text = secret.trim();
  let json: unknown;
  try {
    json = JSON.parse(text.startsWith("{") ? text : new TextDecoder().decode(fromBase64Url(text)));
  } catch {
    throw new Error("ACTION_ASSERTION_KEY is not a JWK (JSON, or base64url of JSON)");
  }
  const parsed = PrivateActionKeySchema.safeParse(json);
  // The key's fields are secret: the error names what is wrong, never a value.
  if (!parsed.success) throw new Error(`ACTION_ASSERTION_KEY is not a private P-256 JWK with a kid (${parsed.error.issues.map((issue) => issue.path.join(".")).join(", ")})`);
  return parsed.data;
}

/** The public half of the key, as a backend needs it. */
export function publicActionKeys(...keys: PrivateActionKey[]): JSONWebKeySet {
  return { keys: keys.map(({ kty, crv, x, y, kid }) => ({ kty, crv, x, y, kid, alg: ACTION_ASSERTION_ALGORITHM, use: "sig" })) };
}

export interface ActionSigningKey {
  kid: string;
  key: CryptoKey;
}

const signingKeys = new Map<string, Promise<ActionSigningKey>>();

/** The signing key for a secret, imported once per isolate. */
export function actionSigningKey(secret: string): Promise<ActionSigningKey> {
  let key = signingKeys.get(secret);
  if (key === undefined) {
    const jwk = parseActionKey(secret);
    key = importJWK(jwk as JWK, ACTION_ASSERTION_ALGORITHM).then((imported) => ({ kid: jwk.kid, key: imported as CryptoKey }));
    signingKeys.set(secret, key);
  }
  return key;
}

/** What an assertion says about one action call. */
export interface ActionCall {
  /** The verified user's `sub`; null for an anonymous user. */
  sub: string | null;
  bot: string;
  conversationId: string;
  method: string;
  /** The URL the action calls (its query is not part of the assertion). */
  url: string;
}

/** The assertion for one action call, valid for `ttlSeconds` (at most 60). */
export async function signActionAssertion(
  signingKey: ActionSigningKey,
  call: ActionCall,
  options: { now?: number; ttlSeconds?: number } = {},
): Promise<string> {
  const ttl = Math.min(options.ttlSeconds ?? ACTION_ASSERTION_MAX_TTL_S, ACTION_ASSERTION_MAX_TTL_S);
  const issuedAt = Math.floor((options.now ?? Date.now()) / 1000);
  const url = new URL(call.url);
  let jwt = new SignJWT({ bot: call.bot, cid: call.conversationId, htm: call.method.toUpperCase(), htu: `${url.origin}${url.pathname}` })
    .setProtectedHeader({ alg: ACTION_ASSERTION_ALGORITHM, typ: ACTION_ASSERTION_TYPE, kid: signingKey.kid })
    .setIssuer(ACTION_ASSERTION_ISSUER)
    .setAudience(url.origin)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttl)
    .setJti(crypto.randomUUID());
  if (call.sub !== null) jwt = jwt.setSubject(call.sub);
  return jwt.sign(signingKey.key);
}

// --- The backend's side ---------------------------------------------------------------------------

const AssertionClaimsSchema = z.object({
  sub: UserSubjectSchema.optional(),
  bot: BotIdSchema,
  cid: ConversationIdSchema,
  htm: z.string().min(1).max(16),
  htu: z.url(),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string().min(1).max(128),
});

/** Who an action call is for, as a backend learns it from a valid assertion. */
export interface AssertedCall {
  /** The signed-in user; null when the user is anonymous (then ask for proof before showing anything personal). */
  sub: string | null;
  bot: string;
  conversationId: string;
  /** Unique per assertion: a backend that must refuse a replay within the minute keeps the ones it saw. */
  jti: string;
}

export type ActionAssertionResult =
  | { ok: true; call: AssertedCall }
  | { ok: false; reason: "missing" | "malformed" | "signature" | "expired" | "wrong_audience" | "wrong_request" | "claims" | "keys_unavailable" };

export interface ActionAssertionVerifierOptions {
  /** The deployment's public keys: the JWKS itself, or the URL it is published at (fetched and cached). */
  keys: JSONWebKeySet | URL;
  /** The origins this backend answers on (the scheme, host and port the bot's action URLs name). */
  audience: string | readonly string[];
}

/**
 * A backend's check of the assertion of an incoming call: ES256 with the deployment's keys, this
 * backend as audience, the request's method and path, at most 60 s old. Pass the request's method
 * and URL as the backend received them (only the path of the URL is compared: the origin is the
 * audience's business, and a proxy may rewrite the host).
 */
export function createActionAssertionVerifier(
  options: ActionAssertionVerifierOptions,
): (assertion: string | null | undefined, request: { method: string; url: string }, now?: number) => Promise<ActionAssertionResult> {
  const keys: JWTVerifyGetKey = options.keys instanceof URL ? createRemoteJWKSet(options.keys) : createLocalJWKSet(options.keys);
  const audience = typeof options.audience === "string" ? [options.audience] : [...options.audience];
  return async (assertion, request, now = Date.now()) => {
    if (assertion === null || assertion === undefined || assertion === "") return { ok: false, reason: "missing" };
    if (assertion.length > 4_096) return { ok: false, reason: "malformed" };
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(assertion, keys, {
        algorithms: [ACTION_ASSERTION_ALGORITHM],
        typ: ACTION_ASSERTION_TYPE,
        issuer: ACTION_ASSERTION_ISSUER,
        audience,
        requiredClaims: ["iat", "exp", "jti"],
        maxTokenAge: ACTION_ASSERTION_MAX_TTL_S + ACTION_ASSERTION_CLOCK_SKEW_S,
        clockTolerance: ACTION_ASSERTION_CLOCK_SKEW_S,
        currentDate: new Date(now),
      }));
    } catch (error) {
      return { ok: false, reason: assertionFailure(error) };
    }
    const claims = AssertionClaimsSchema.safeParse(payload);
    if (!claims.success || claims.data.exp - claims.data.iat > ACTION_ASSERTION_MAX_TTL_S) return { ok: false, reason: "claims" };
    const { sub, bot, cid, htm, htu, jti } = claims.data;
    if (htm !== request.method.toUpperCase() || new URL(htu).pathname !== new URL(request.url, "http://backend.invalid").pathname) {
      return { ok: false, reason: "wrong_request" };
    }
    return { ok: true, call: { sub: sub ?? null, bot, conversationId: cid, jti } };
  };
}

function assertionFailure(error: unknown): Exclude<ActionAssertionResult, { ok: true }>["reason"] {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) return error.claim === "aud" ? "wrong_audience" : "claims";
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JOSENotSupported
  ) {
    return "signature";
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return "malformed";
  return "keys_unavailable";
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
