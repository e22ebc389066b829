// The user-assertion signing key of the local test stack (docs/privacy.md, shared/action-assertion.ts):
// a P-256 key made once per process, as `npm run dev` makes one for .dev.vars. The dialogue Worker
// signs each backend call's assertion with it; the demo order API checks them with its public half.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { JSONWebKeySet } from "jose";
import { parseActionKey, publicActionKeys } from "../shared/action-assertion.ts";

const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });

/** ACTION_ASSERTION_KEY for the test stack: the private JWK with its `kid`, base64url (the form .dev.vars holds). */
export const TEST_ACTION_ASSERTION_KEY = Buffer.from(JSON.stringify({ ...privateKey.export({ format: "jwk" }), kid: `test-${randomBytes(4).toString("hex")}` })).toString("base64url");

/** The public keys a backend checks the test stack's assertions with (what the gateway publishes). */
export const TEST_ACTION_KEYS: JSONWebKeySet = publicActionKeys(parseActionKey(TEST_ACTION_ASSERTION_KEY));
