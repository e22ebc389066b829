/**
 * User tokens: a site or app that knows its user signs a short-lived JWT (`sub`, `exp`, optionally
 * `iat`) and hands it to the SDK; the gateway checks it here with `jose` and learns who the user is.
 *
 * Strict by design: only the deployment's algorithms (HS256 with USER_TOKEN_SECRET, or RS256/ES256
 * with the keys at USER_TOKEN_JWKS_URL — never both, so an HS256 token is never checked against a
 * public key), never `alg: none`; `sub` and `exp` required; at most USER_TOKEN_CLOCK_SKEW_S of
 * clock difference for `exp`, `nbf` and `iat`; a token valid for longer than the deployment's
 * maximum lifetime is refused; `iss` and `aud` are checked when the deployment names them.
 *
 * The result is a value (`UserTokenResult`); `userTokenError` turns a failure into the 401
 * `unauthorized` error. Neither ever contains the token or anything read from it.
 */
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import { errorInfo, type ErrorInfo } from "../../../../shared/errors.ts";
import { UserSubjectSchema } from "../../../../shared/schemas/profile.ts";
import type { UserTokenPolicy } from "../../../../shared/user-identity-config.ts";

/** A user the host vouched for. */
export interface VerifiedUser {
  /** The token's `sub`: the user's id at the host, 1-128 visible ASCII characters. */
  sub: string;
  /** When the token stops being valid (seconds since the epoch). */
  expiresAt: number;
  /** When it was issued, if it says. */
  issuedAt: number | null;
}

export type UserTokenFailureReason =
  | "not_configured"
  | "missing"
  | "malformed"
  | "algorithm"
  | "signature"
  | "expired"
  | "not_yet_valid"
  | "issued_in_future"
  | "too_long_lived"
  | "claim"
  | "subject"
  | "keys_unavailable";

export type UserTokenResult =
  | { ok: true; user: VerifiedUser }
  | { ok: false; reason: UserTokenFailureReason; /** The claim at fault, for `claim` (a claim name, never a value). */ claim?: string };

/** Far longer than any real JWT of a user id; longer input is refused before it is parsed. */
export const MAX_USER_TOKEN_LENGTH = 8_192;
/** Three base64url parts: the only shape a signed JWT has (a JWE or a JSON serialization is not a user token). */
const COMPACT_JWS = /^[A-Za-z0-9_-]{1,8192}\.[A-Za-z0-9_-]{1,8192}\.[A-Za-z0-9_-]{0,8192}$/;

const encoder = new TextEncoder();
/** HS256 keys, imported once per secret per isolate. */
const secretKeys = new Map<string, Promise<CryptoKey>>();

function secretKey(secret: string): Promise<CryptoKey> {
  let key = secretKeys.get(secret);
  if (key === undefined) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    secretKeys.set(secret, key);
  }
  return key;
}

/** The remote key sets, one per URL per isolate: jose caches the keys (10 min) and refetches an unknown `kid` at most every 30 s. */
const remoteKeySets = new Map<string, JWTVerifyGetKey>();

function remoteKeys(url: string): JWTVerifyGetKey {
  let keys = remoteKeySets.get(url);
  if (keys === undefined) {
    keys = createRemoteJWKSet(new URL(url), { timeoutDuration: 3_000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    remoteKeySets.set(url, keys);
  }
  return keys;
}

const failure = (reason: UserTokenFailureReason, claim?: string): UserTokenResult =>
  claim === undefined ? { ok: false, reason } : { ok: false, reason, claim };

/**
 * Checks a user token against the deployment's policy. `now` (ms since the epoch) is the clock the
 * claims are checked against.
 */
export async function verifyUserToken(policy: UserTokenPolicy, token: string | undefined, now: number = Date.now()): Promise<UserTokenResult> {
  if (policy.keys === "none") return failure("not_configured");
  if (token === undefined || token === "") return failure("missing");
  if (token.length > MAX_USER_TOKEN_LENGTH || !COMPACT_JWS.test(token)) return failure("malformed");

  let algorithm: unknown;
  try {
    algorithm = decodeProtectedHeader(token).alg;
  } catch {
    return failure("malformed");
  }
  // Refused before any key is looked at: `none`, and any algorithm but the deployment's.
  if (typeof algorithm !== "string" || !policy.algorithms.includes(algorithm)) return failure("algorithm");

  let payload: JWTPayload;
  try {
    const key = policy.keys === "secret" ? await secretKey(policy.source) : remoteKeys(policy.source);
    const options = {
      algorithms: [...policy.algorithms],
      requiredClaims: ["sub", "exp"],
      clockTolerance: policy.clockSkewSeconds,
      currentDate: new Date(now),
      ...(policy.issuer === undefined ? {} : { issuer: policy.issuer }),
      ...(policy.audience === undefined ? {} : { audience: policy.audience }),
    };
    // Two calls rather than one with a union key type: jose types the key function and the secret separately.
    payload = (typeof key === "function" ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options)).payload;
  } catch (error) {
    return failureOf(error, policy.keys);
  }

  const nowSeconds = Math.floor(now / 1000);
  if (!UserSubjectSchema.safeParse(payload.sub).success) return failure("subject");
  const expiresAt = payload.exp;
  if (expiresAt === undefined) return failure("claim", "exp");
  if (expiresAt - nowSeconds > policy.maxLifetimeSeconds + policy.clockSkewSeconds) return failure("too_long_lived");
  const issuedAt = payload.iat ?? null;
  if (issuedAt !== null && issuedAt > nowSeconds + policy.clockSkewSeconds) return failure("issued_in_future");
  return { ok: true, user: { sub: payload.sub as string, expiresAt, issuedAt } };
}

/** The claims a failure may name (jose names the claim it checked; only these are ever repeated to a client). */
const REGISTERED_CLAIMS = new Set(["iss", "sub", "aud", "exp", "nbf", "iat"]);

/**
 * What an error means for the client, without its message (which may quote the token's claims).
 * An error that is not jose's own comes from fetching the keys (network, timeout): not the token's fault.
 */
function failureOf(error: unknown, keys: "secret" | "jwks"): UserTokenResult {
  if (error instanceof errors.JWTExpired) return failure("expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf") return failure("not_yet_valid");
    return failure("claim", REGISTERED_CLAIMS.has(error.claim) ? error.claim : undefined);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return failure("algorithm");
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return failure("signature");
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return failure("malformed");
  // The key set could not be fetched or read (timeout, network, an answer that is not a key set).
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return failure("keys_unavailable");
  if (error instanceof errors.JOSEError) return failure("malformed");
  return failure(keys === "jwks" ? "keys_unavailable" : "malformed");
}

const MESSAGES: Record<UserTokenFailureReason, string> = {
  not_configured: "this deployment does not accept user tokens",
  missing: "missing user token",
  malformed: "the user token is not a well-formed signed JWT",
  algorithm: "the user token is not signed with an algorithm this deployment accepts",
  signature: "the user token's signature is not valid",
  expired: "the user token has expired",
  not_yet_valid: "the user token is not valid yet",
  issued_in_future: "the user token is issued in the future",
  too_long_lived: "the user token is valid for longer than this deployment accepts",
  claim: "the user token lacks a required claim or has one this deployment does not accept",
  subject: "the user token's sub must be 1-128 visible ASCII characters",
  keys_unavailable: "the user token could not be checked now (the signing keys are unavailable); try again",
};

/** The 401 a failure is answered with. The message names the problem (and a claim's name), never the token. */
export function userTokenError(result: Extract<UserTokenResult, { ok: false }>): ErrorInfo<"unauthorized"> {
  const message = result.reason === "claim" && result.claim !== undefined ? `the user token's ${result.claim} claim is missing or not accepted` : MESSAGES[result.reason];
  return errorInfo("unauthorized", message);
}
