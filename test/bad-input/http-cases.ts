// The hostile HTTP requests of the bad-input suite, generated from tables: each family crosses its
// variants with the routes they apply to. Every case names the status and error code it must get;
// the runner (hostile-requests.test.ts) adds the checks every case shares.
import type { ErrorCode } from "../../shared/errors.ts";
import { MAX_REQUEST_BYTES } from "../../shared/schemas/index.ts";
import type { RawRequest } from "./raw-http.ts";

export interface HostileCase {
  family: string;
  name: string;
  request: RawRequest;
  expect: { status: number; code: ErrorCode };
  /**
   * A WebSocket case that needs a socket ticket: the runner mints a fresh one for `id` with
   * `credential` just before sending (tickets are single use and short-lived) and adds
   * `Sec-WebSocket-Protocol: offer(ticket)`.
   */
  socketTicket?: { id: string; credential: string; offer: (ticket: string) => string };
}

/** How the SDK offers a ticket. */
export const offerTicket = (ticket: string): string => `stratus.v1, stratus.ticket.${ticket}`;

/** What the cases aim at: a conversation with history (the victim), another one, an id with a valid token but no conversation. */
export interface Targets {
  victim: { id: string; token: string };
  other: { id: string; token: string };
  unknown: { id: string; token: string };
  operatorKey: string;
}

type Headers = [string, string][];
const JSON_TYPE: [string, string] = ["Content-Type", "application/json"];
const bearer = (token: string): [string, string] => ["Authorization", `Bearer ${token}`];

/** A route that takes a JSON body, with the credentials that let a request reach its validation. */
interface BodyRoute {
  name: string;
  target: string;
  auth: Headers;
  /** A body this route accepts, which the families spoil one way at a time. */
  valid: Record<string, unknown>;
}

function bodyRoutes(t: Targets): { all: BodyRoute[]; text: BodyRoute[] } {
  const create: BodyRoute = { name: "create conversation", target: "/v1/conversations", auth: [], valid: { locale: "en" } };
  const message: BodyRoute = { name: "post message", target: `/v1/conversations/${t.victim.id}/messages`, auth: [bearer(t.victim.token)], valid: { text: "hello" } };
  const nlu: BodyRoute = { name: "nlu parse", target: "/v1/nlu/parse", auth: [], valid: { text: "hello" } };
  const agent: BodyRoute = { name: "agent message", target: `/v1/conversations/${t.victim.id}/agent-messages`, auth: [bearer(t.operatorKey)], valid: { text: "hello" } };
  return { all: [create, message, nlu, agent], text: [message, nlu, agent] };
}

const post = (route: BodyRoute, body: string | Uint8Array, headers: Headers = [JSON_TYPE]): RawRequest => ({
  method: "POST",
  target: route.target,
  headers: [...headers, ...route.auth],
  body,
});

const fail = (status: number, code: ErrorCode) => ({ status, code });
const INVALID_JSON = fail(400, "invalid_json");
const INVALID = fail(400, "invalid_request");
const UNAUTHORIZED = fail(401, "unauthorized");
const NO_CONVERSATION = fail(404, "conversation_not_found");

/** Bodies that are not JSON (or not one JSON value). */
const NOT_JSON: [string, string][] = [
  ["empty", ""],
  ["whitespace only", "  \n\t "],
  ["an open brace", "{"],
  ["a close brace", "}"],
  ["a missing value", '{"text":}'],
  ["an unterminated object", '{"text":"hi"'],
  ["a trailing comma", '{"text":"hi",}'],
  ["single quotes", "{'text':'hi'}"],
  ["unquoted keys", '{text:"hi"}'],
  ["an extra brace", '{"text":"hi"}}'],
  ["two documents", '{"text":"hi"}{"text":"again"}'],
  ["NaN", '{"text":NaN}'],
  ["Infinity", "Infinity"],
  ["undefined", "undefined"],
  ["a hex number", '{"text":0x10}'],
  ["a leading zero", '{"text":01}'],
  ["an invalid escape", '{"text":"\\x41"}'],
  ["a short unicode escape", '{"text":"\\u12"}'],
  ["a raw line break in a string", '{"text":"line\nbreak"}'],
  ["a raw tab in a string", '{"text":"tab\there"}'],
  ["a comment", '// note\n{"text":"hi"}'],
  ["XML", "<text>hi</text>"],
  ["a form body", "text=hi&clientMessageId=1"],
  ["a NUL byte", "\u0000"],
  ["JSON then a NUL byte", '{"text":"hi"}\u0000'],
];

function invalidJson(t: Targets): HostileCase[] {
  return bodyRoutes(t).all.flatMap((route) =>
    NOT_JSON.map(([name, body]) => ({ family: "invalid JSON", name: `${route.name}: ${name}`, request: post(route, body), expect: INVALID_JSON })),
  );
}

function deepNesting(t: Targets): HostileCase[] {
  const array = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
  const object = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
  // As deep as fits the 64 KiB body limit: 30,000 levels of arrays (60 KB), 10,000 of objects (60 KB).
  const shapes: [string, (depth: number) => string, number][] = [
    ["arrays as the text", (d) => `{"text":${array(d)}}`, 30_000],
    ["objects as the text", (d) => `{"text":${object(d)}}`, 10_000],
    ["arrays as the body", (d) => array(d), 30_000],
    ["objects under an unknown field", (d) => `{"text":"hi","extra":${object(d)}}`, 10_000],
  ];
  return bodyRoutes(t).all.flatMap((route) =>
    shapes.flatMap(([name, shape, deepest]) =>
      [1_000, deepest].map((depth) => ({ family: "deep nesting", name: `${route.name}: ${depth} levels of ${name}`, request: post(route, shape(depth)), expect: INVALID })),
    ),
  );
}

function wrongTypes(t: Targets): HostileCase[] {
  const routes = bodyRoutes(t);
  const [create, message, nlu] = routes.all as [BodyRoute, BodyRoute, BodyRoute, BodyRoute];
  const cases: [BodyRoute, string, unknown][] = [];
  const notObjects: [string, unknown][] = [["null", null], ["an array", []], ["a string", "hello"], ["a number", 42], ["true", true]];
  for (const route of routes.all) for (const [name, body] of notObjects) cases.push([route, `the body is ${name}`, body]);
  const notText: [string, unknown][] = [["a number", 42], ["true", true], ["null", null], ["an array", ["hi"]], ["an object", { $gt: "" }], ["1e999", 1e999]];
  for (const route of routes.text) for (const [name, value] of notText) cases.push([route, `text is ${name}`, { ...route.valid, text: value }]);
  for (const [name, value] of [...notText, ["empty", ""], ["129 characters", "x".repeat(129)]] as [string, unknown][]) {
    cases.push([message, `clientMessageId is ${name}`, { text: "hello", clientMessageId: value }]);
  }
  const badBots: [string, unknown][] = [["a number", 42], ["null", null], ["empty", ""], ["upper case", "ECOMMERCE"], ["65 characters", "a".repeat(65)], ["a path", "../etc"]];
  const badLocales: [string, unknown][] = [["a number", 1], ["upper case", "EN"], ["a region", "en-US"], ["unknown", "xx"], ["empty", ""]];
  const badZones: [string, unknown][] = [["a number", 5], ["empty", ""], ["made up", "Mars/Olympus"], ["65 characters", "A".repeat(65)], ["a path", "../../etc/passwd"]];
  for (const route of [create, nlu]) {
    const base = route === nlu ? { text: "hello" } : {};
    for (const [name, value] of badBots) cases.push([route, `bot is ${name}`, { ...base, bot: value }]);
    for (const [name, value] of badLocales) cases.push([route, `locale is ${name}`, { ...base, locale: value }]);
    for (const [name, value] of badZones) cases.push([route, `timezone is ${name}`, { ...base, timezone: value }]);
  }
  const typed: HostileCase[] = cases.map(([route, name, body]) => ({ family: "wrong types", name: `${route.name}: ${name}`, request: post(route, JSON.stringify(body)), expect: INVALID }));
  // Well-formed but not served here: its own code.
  for (const route of [create, nlu]) {
    const base = route === nlu ? { text: "hello" } : {};
    typed.push({ family: "wrong types", name: `${route.name}: a bot this deployment does not serve`, request: post(route, JSON.stringify({ ...base, bot: "nope" })), expect: fail(400, "unknown_bot") });
  }
  return typed;
}

function prototypePollution(t: Targets): HostileCase[] {
  const payloads: [string, (valid: Record<string, unknown>) => string][] = [
    ["__proto__ with a flag", (v) => `{"__proto__":{"polluted":true},${JSON.stringify(v).slice(1)}`],
    ["__proto__ null", (v) => `${JSON.stringify(v).slice(0, -1)}${Object.keys(v).length ? "," : ""}"__proto__":null}`],
    ["constructor.prototype", (v) => `{"constructor":{"prototype":{"polluted":true}},${JSON.stringify(v).slice(1)}`],
    ["prototype", (v) => `{"prototype":{"polluted":true},${JSON.stringify(v).slice(1)}`],
    ["fields only under __proto__", (v) => `{"__proto__":${JSON.stringify(v)}}`],
    ["__proto__ inside a field", (v) => (v.text === undefined ? '{"locale":{"__proto__":{"x":1}}}' : '{"text":{"__proto__":{"toString":"x"}}}')],
    ["toString and valueOf", (v) => `{"toString":"x","valueOf":1,${JSON.stringify(v).slice(1)}`],
  ];
  return bodyRoutes(t).all.flatMap((route) =>
    payloads.map(([name, body]) => ({ family: "prototype pollution", name: `${route.name}: ${name}`, request: post(route, body(route.valid).replace(",}", "}")), expect: INVALID })),
  );
}

/**
 * Unknown fields are refused, never ignored: a misspelt field would silently lose its meaning, and
 * fields a client may not set (role, seq, id, a token) get no chance to mean anything.
 */
function unknownFields(t: Targets): HostileCase[] {
  const [create, message, nlu, agent] = bodyRoutes(t).all as [BodyRoute, BodyRoute, BodyRoute, BodyRoute];
  const extras: [BodyRoute, Record<string, unknown>][] = [
    [create, { extra: 1 }], [create, { id: "0".repeat(32) }], [create, { token: "x" }], [create, { handedOff: true }],
    [create, { createdAt: "2020-01-01T00:00:00Z" }], [create, { Bot: "finance" }], [create, { locales: ["en"] }],
    [message, { extra: 1 }], [message, { clientMesageId: "typo-1" }], [message, { Text: "hi" }], [message, { role: "bot" }],
    [message, { role: "agent" }], [message, { seq: 1 }], [message, { id: "m-1" }], [message, { replyTo: 1 }],
    [message, { response: "utter_greet" }], [message, { nlu: { intent: { name: "greet", confidence: 1 } } }], [message, { type: "message" }],
    [nlu, { extra: 1 }], [nlu, { now: "2020-01-01T00:00:00Z" }], [nlu, { threshold: 0 }], [nlu, { model: "x" }], [nlu, { texts: ["a"] }],
    [agent, { extra: 1 }], [agent, { role: "user" }], [agent, { seq: 1 }], [agent, { clientMessageId: "a-1" }], [agent, { agent: "Dana" }],
  ];
  return extras.map(([route, extra]) => ({
    family: "unknown fields",
    name: `${route.name}: ${Object.keys(extra).join(", ")}`,
    request: post(route, JSON.stringify({ ...route.valid, ...extra })),
    expect: INVALID,
  }));
}

function unicode(t: Targets): HostileCase[] {
  const routes = bodyRoutes(t);
  const invalidUtf8: [string, number[]][] = [
    ["0xFF", [0xff]],
    ["an overlong slash", [0xc0, 0xaf]],
    ["an overlong three-byte form", [0xe0, 0x80, 0xaf]],
    ["an encoded surrogate", [0xed, 0xa0, 0x80]],
    ["a code point past U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["a truncated sequence", [0xe4, 0xb8]],
    ["a lone continuation byte", [0x80]],
    ["a five-byte form", [0xf8, 0x88, 0x80, 0x80, 0x80]],
  ];
  const cases: HostileCase[] = [];
  for (const route of routes.text) {
    for (const [name, bytes] of invalidUtf8) {
      const body = Buffer.concat([Buffer.from('{"text":"hi '), Buffer.from(bytes), Buffer.from(' there"}')]);
      cases.push({ family: "invalid UTF-8 and lone surrogates", name: `${route.name}: invalid UTF-8, ${name}`, request: post(route, body), expect: INVALID_JSON });
    }
  }
  cases.push({
    family: "invalid UTF-8 and lone surrogates",
    name: "create conversation: invalid UTF-8 in the time zone",
    request: post(routes.all[0] as BodyRoute, Buffer.concat([Buffer.from('{"timezone":"Europe/'), Buffer.from([0xff]), Buffer.from('"}')])),
    expect: INVALID_JSON,
  });
  // JSON can spell a lone surrogate with an escape; JSON.stringify writes one that way.
  const lone: [string, string][] = [
    ["a lone high surrogate", "\ud800"],
    ["a lone low surrogate", "\udfff"],
    ["a high surrogate before text", "hi \ud83d there"],
    ["a low surrogate after text", "hi\ude00"],
    ["a reversed pair", "\ude00\ud83d"],
    ["4,000 lone surrogates", "\ud800".repeat(4000)],
  ];
  for (const route of routes.text) {
    for (const [name, text] of lone) {
      cases.push({ family: "invalid UTF-8 and lone surrogates", name: `${route.name}: ${name}`, request: post(route, JSON.stringify({ ...route.valid, text })), expect: INVALID });
    }
  }
  for (const [name, id] of [["a lone surrogate", "id-\ud800"], ["non-ASCII", "ид-1"]]) {
    cases.push({
      family: "invalid UTF-8 and lone surrogates",
      name: `post message: clientMessageId with ${name}`,
      request: post(routes.text[0] as BodyRoute, JSON.stringify({ text: "hello", clientMessageId: id })),
      expect: INVALID,
    });
  }
  return cases;
}

function controlCharacters(t: Targets): HostileCase[] {
  const routes = bodyRoutes(t);
  const texts: [string, string][] = [
    ["NUL first", "\u0000hello"],
    ["NUL inside", "hel\u0000lo"],
    ["NUL last", "hello\u0000"],
    ["only NULs", "\u0000\u0000\u0000"],
    ["BEL", "hello\u0007"],
    ["backspace", "hello\b\b\b"],
    ["vertical tab", "a\u000bb"],
    ["form feed", "a\fb"],
    ["an ANSI escape", "\u001b[31mred\u001b[0m"],
    ["DEL", "hello\u007f"],
    ["C1 NEL", "a\u0085b"],
    ["C1 APC", "a\u009fb"],
  ];
  const cases: HostileCase[] = routes.text.flatMap((route) =>
    texts.map(([name, text]) => ({ family: "NUL and control characters", name: `${route.name}: ${name}`, request: post(route, JSON.stringify({ ...route.valid, text })), expect: INVALID })),
  );
  for (const [name, id] of [["NUL", "a\u0000b"], ["a line feed", "a\nb"], ["a space", "a b"], ["DEL", "a\u007f"]]) {
    cases.push({ family: "NUL and control characters", name: `post message: clientMessageId with ${name}`, request: post(routes.text[0] as BodyRoute, JSON.stringify({ text: "hello", clientMessageId: id })), expect: INVALID });
  }
  cases.push({ family: "NUL and control characters", name: "create conversation: NUL in the bot", request: post(routes.all[0] as BodyRoute, JSON.stringify({ bot: "ecommerce\u0000" })), expect: INVALID });
  return cases;
}

/** 4,001 characters (code points) of each kind; 4,000 of the same are accepted (the suite's controls). */
export const LENGTH_TEXTS: [string, (n: number) => string][] = [
  ["ASCII", (n) => "a".repeat(n)],
  ["emoji", (n) => "😀".repeat(n)],
  ["CJK", (n) => "中".repeat(n)],
  ["CJK beyond the BMP", (n) => "𠀀".repeat(n)],
  ["emoji and CJK mixed", (n) => "😀中".repeat(Math.floor(n / 2)) + (n % 2 ? "字" : "")],
  ["accents as combining marks", (n) => "e\u0301".repeat(Math.floor(n / 2)) + (n % 2 ? "e" : "")],
];

function lengths(t: Targets): HostileCase[] {
  const routes = bodyRoutes(t);
  const cases: HostileCase[] = [];
  for (const route of routes.text) {
    for (const [name, text] of LENGTH_TEXTS) {
      cases.push({ family: "4,000 vs 4,001 characters", name: `${route.name}: 4,001 ${name}`, request: post(route, JSON.stringify({ ...route.valid, text: text(4001) })), expect: INVALID });
    }
    for (const [name, text] of [["empty", ""], ["spaces", "    "], ["line breaks and tabs", "\n\t\r\n"], ["ideographic spaces", "\u3000\u3000"]]) {
      cases.push({ family: "4,000 vs 4,001 characters", name: `${route.name}: ${name} only`, request: post(route, JSON.stringify({ ...route.valid, text })), expect: INVALID });
    }
  }
  return cases;
}

function huge(t: Targets): HostileCase[] {
  const routes = bodyRoutes(t);
  const tooLarge = fail(413, "payload_too_large");
  const cases: HostileCase[] = [];
  for (const route of routes.all) {
    const padded = (bytes: number) => `{"text":"${"a".repeat(bytes - 11)}"}`;
    cases.push({ family: "huge bodies and headers", name: `${route.name}: a body of 64 KiB + 1`, request: post(route, padded(MAX_REQUEST_BYTES + 1)), expect: tooLarge });
    cases.push({ family: "huge bodies and headers", name: `${route.name}: a body of 1 MiB`, request: post(route, padded(1024 * 1024)), expect: tooLarge });
  }
  const message = routes.text[0] as BodyRoute;
  const messages = `/v1/conversations/${t.victim.id}/messages`;
  cases.push(
    // Exactly at the limit: read and validated (the text is far too long), not refused for size.
    { family: "huge bodies and headers", name: "post message: a body of exactly 64 KiB", request: post(message, `{"text":"${"a".repeat(MAX_REQUEST_BYTES - 11)}"}`), expect: INVALID },
    { family: "huge bodies and headers", name: "a 16 KiB bearer token", request: { method: "GET", target: messages, headers: [bearer("a".repeat(16 * 1024))] }, expect: UNAUTHORIZED },
    { family: "huge bodies and headers", name: "a 16 KiB operator key", request: { method: "POST", target: `/v1/conversations/${t.victim.id}/handoff`, headers: [bearer("k".repeat(16 * 1024))] }, expect: UNAUTHORIZED },
    { family: "huge bodies and headers", name: "an 8 KiB content type", request: post(message, '{"text":"hi"}', [["Content-Type", `application/json; charset=${"x".repeat(8 * 1024)}`]]), expect: fail(415, "unsupported_media_type") },
    { family: "huge bodies and headers", name: "300 junk headers and no token", request: { method: "GET", target: messages, headers: Array.from({ length: 300 }, (_, i): [string, string] => [`X-Junk-${i}`, "j".repeat(100)]) }, expect: UNAUTHORIZED },
    { family: "huge bodies and headers", name: "a 64 KiB junk header and no token", request: { method: "GET", target: messages, headers: [["X-Junk", "j".repeat(64 * 1024)]] }, expect: UNAUTHORIZED },
    { family: "huge bodies and headers", name: "a 32 KiB query value", request: { method: "GET", target: `${messages}?after=${"9".repeat(32 * 1024)}`, headers: [bearer(t.victim.token)] }, expect: INVALID },
    { family: "huge bodies and headers", name: "a 10 KiB conversation id", request: { method: "GET", target: `/v1/conversations/${"a".repeat(10 * 1024)}`, headers: [bearer(t.victim.token)] }, expect: NO_CONVERSATION },
    { family: "huge bodies and headers", name: "an 8 KiB path", request: { method: "GET", target: `/v1/${"x".repeat(8 * 1024)}` }, expect: fail(404, "not_found") },
  );
  return cases;
}

function chunked(t: Targets): HostileCase[] {
  const routes = bodyRoutes(t);
  const cases: HostileCase[] = [];
  for (const route of routes.all) {
    cases.push(
      { family: "chunked bodies without a length", name: `${route.name}: invalid JSON`, request: { ...post(route, '{"text": "hi",'), chunked: 4 }, expect: INVALID_JSON },
      { family: "chunked bodies without a length", name: `${route.name}: over 64 KiB`, request: { ...post(route, `{"text":"${"a".repeat(MAX_REQUEST_BYTES)}"}`), chunked: 8192 }, expect: fail(413, "payload_too_large") },
      { family: "chunked bodies without a length", name: `${route.name}: text/plain`, request: { ...post(route, "hello", [["Content-Type", "text/plain"]]), chunked: 2 }, expect: fail(415, "unsupported_media_type") },
    );
  }
  const message = routes.text[0] as BodyRoute;
  cases.push(
    { family: "chunked bodies without a length", name: "post message: one-byte chunks with an unknown field", request: { ...post(message, '{"text":"hi","extra":true}'), chunked: 1 }, expect: INVALID },
    { family: "chunked bodies without a length", name: "post message: invalid UTF-8 split across chunks", request: { ...post(message, Buffer.concat([Buffer.from('{"text":"a'), Buffer.from([0xe4, 0xb8]), Buffer.from('"}')])), chunked: 11 }, expect: INVALID_JSON },
    { family: "chunked bodies without a length", name: "post message: no Content-Type", request: { ...post(message, '{"text":"hi"}', []), chunked: 5 }, expect: fail(415, "unsupported_media_type") },
  );
  return cases;
}

function contentTypes(t: Targets): HostileCase[] {
  const types: [string, string | undefined][] = [
    ["text/plain", "text/plain"],
    ["text/html", "text/html"],
    ["a form", "application/x-www-form-urlencoded"],
    ["multipart", "multipart/form-data; boundary=x"],
    ["XML", "application/xml"],
    ["no content type", undefined],
    ["JSON in Latin-1", "application/json; charset=latin1"],
    ["JSON in UTF-16", "application/json; charset=utf-16"],
    ["application/jsonx", "application/jsonx"],
    ["a +json type", "application/vnd.api+json"],
    ["text/json", "text/json"],
    ["a list of types", "application/json, text/plain"],
    ["JSON with an unknown parameter", "application/json; boundary=x"],
  ];
  return bodyRoutes(t).all.flatMap((route) =>
    types.map(([name, type]) => ({
      family: "wrong content types",
      name: `${route.name}: ${name}`,
      request: post(route, JSON.stringify(route.valid), type === undefined ? [] : [["Content-Type", type]]),
      expect: fail(415, "unsupported_media_type"),
    })),
  );
}

function methods(t: Targets): HostileCase[] {
  const id = t.victim.id;
  const paths: [string, string[]][] = [
    ["/v1/bots", ["GET"]],
    ["/v1/conversations", ["POST"]],
    [`/v1/conversations/${id}`, ["GET"]],
    [`/v1/conversations/${id}/messages`, ["GET", "POST"]],
    [`/v1/conversations/${id}/ws`, ["GET"]],
    [`/v1/conversations/${id}/handoff`, ["POST"]],
    [`/v1/conversations/${id}/release`, ["POST"]],
    [`/v1/conversations/${id}/agent-messages`, ["POST"]],
    ["/v1/nlu/parse", ["POST"]],
    ["/v1/openapi.json", ["GET"]],
    ["/v1/dead-letters", ["GET"]],
    ["/v1/dead-letters/1/replay", ["POST"]],
  ];
  const tried = ["GET", "POST", "PUT", "PATCH", "DELETE"];
  const cases: HostileCase[] = paths.flatMap(([path, allowed]) =>
    tried
      .filter((method) => !allowed.includes(method))
      .map((method) => ({
        family: "methods not allowed",
        name: `${method} ${path.replace(id, "{id}")}`,
        request: { method, target: path, headers: [bearer(t.victim.token)] },
        expect: fail(405, "method_not_allowed"),
      })),
  );
  for (const path of ["/v1/bots", `/v1/conversations/${id}/messages`]) {
    cases.push({ family: "methods not allowed", name: `TRACE ${path.replace(id, "{id}")}`, request: { method: "TRACE", target: path }, expect: fail(405, "method_not_allowed") });
  }
  return cases;
}

function pathTricks(t: Targets): HostileCase[] {
  const { victim, other } = t;
  const auth = [bearer(victim.token)];
  const shapes: [string, string][] = [
    ["upper case", victim.id.toUpperCase()],
    ["31 characters", victim.id.slice(1)],
    ["33 characters", `${victim.id}0`],
    ["a non-hex character", `${victim.id.slice(1)}g`],
    ["full-width digits", `${victim.id.slice(2)}%EF%BC%90%EF%BC%91`],
    ["an encoded NUL", `${victim.id}%00`],
    ["an encoded space", `${victim.id}%20`],
    ["a matrix parameter", `${victim.id};x=1`],
    ["an encoded line feed", `${victim.id}%0a`],
    ["an encoded slash", `${victim.id}%2Fmessages`],
    ["a double-encoded slash", `${victim.id}%252Fmessages`],
    ["an unknown jurisdiction prefix", `zz-${victim.id}`],
    ["an upper-case jurisdiction prefix", `EU-${victim.id}`],
  ];
  const routes: [string, string, (id: string) => string, [string, string][]][] = [
    ["get conversation", "GET", (id) => `/v1/conversations/${id}`, auth],
    ["list messages", "GET", (id) => `/v1/conversations/${id}/messages`, auth],
    ["websocket", "GET", (id) => `/v1/conversations/${id}/ws`, [["Upgrade", "websocket"], ["Connection", "Upgrade"], ["Sec-WebSocket-Version", "13"], ["Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="], ["Sec-WebSocket-Protocol", offerTicket("x")]]],
    ["handoff", "POST", (id) => `/v1/conversations/${id}/handoff`, [bearer(t.operatorKey)]],
    ["agent message", "POST", (id) => `/v1/conversations/${id}/agent-messages`, [bearer(t.operatorKey), JSON_TYPE]],
  ];
  const cases: HostileCase[] = routes.flatMap(([route, method, target, headers]) =>
    shapes.map(([name, id]) => ({
      family: "path tricks",
      name: `${route}: an id with ${name}`,
      request: { method, target: target(id), headers, ...(method === "POST" && route === "agent message" ? { body: '{"text":"hi"}' } : {}) },
      // An encoded slash stays inside its segment: it is part of the id, which then names no conversation.
      expect: NO_CONVERSATION,
    })),
  );
  // A well-formed id with a valid token for it, but no conversation behind it: the same 404 everywhere.
  const { unknown } = t;
  const missing: [string, RawRequest][] = [
    ["get conversation", { method: "GET", target: `/v1/conversations/${unknown.id}`, headers: [bearer(unknown.token)] }],
    ["list messages", { method: "GET", target: `/v1/conversations/${unknown.id}/messages`, headers: [bearer(unknown.token)] }],
    ["post message", { method: "POST", target: `/v1/conversations/${unknown.id}/messages`, headers: [bearer(unknown.token), JSON_TYPE], body: '{"text":"hello"}' }],
    ["websocket", { method: "GET", target: `/v1/conversations/${unknown.id}/ws`, headers: (routes[2]?.[3] ?? []).filter(([name]) => name !== "Sec-WebSocket-Protocol") }],
    ["handoff", { method: "POST", target: `/v1/conversations/${unknown.id}/handoff`, headers: [bearer(t.operatorKey)] }],
    ["agent message", { method: "POST", target: `/v1/conversations/${unknown.id}/agent-messages`, headers: [bearer(t.operatorKey), JSON_TYPE], body: '{"text":"hi"}' }],
  ];
  for (const [route, request] of missing) {
    const socketTicket = route === "websocket" ? { id: unknown.id, credential: unknown.token, offer: offerTicket } : undefined;
    cases.push({ family: "path tricks", name: `${route}: a conversation that does not exist, with its token`, request, expect: NO_CONVERSATION, ...(socketTicket ? { socketTicket } : {}) });
  }
  // A jurisdiction prefix makes another id: the victim's token does not open it.
  cases.push({ family: "path tricks", name: "get conversation: the victim's id with a jurisdiction prefix it does not have", request: { method: "GET", target: `/v1/conversations/eu-${victim.id}`, headers: auth }, expect: UNAUTHORIZED });
  // Dot segments are resolved before routing: they cannot lead a token to another conversation.
  const dots: [string, string][] = [
    ["..", `/v1/conversations/${victim.id}/../${other.id}/messages`],
    ["encoded ..", `/v1/conversations/${victim.id}/%2e%2e/${other.id}/messages`],
    ["mixed-case encoded ..", `/v1/conversations/${victim.id}/%2E%2e/${other.id}/messages`],
    ["./..", `/v1/conversations/${victim.id}/./../${other.id}/messages`],
  ];
  for (const [name, target] of dots) {
    cases.push({ family: "path tricks", name: `${name} from the victim's conversation to another`, request: { method: "GET", target, headers: auth }, expect: UNAUTHORIZED });
  }
  const routeless: [string, string][] = [
    ["a trailing slash", "/v1/bots/"],
    ["a double slash", "//v1/bots"],
    ["an empty segment", "/v1//bots"],
    ["upper case", "/V1/BOTS"],
    ["an extra segment", `/v1/conversations/${victim.id}/messages/extra`],
    ["a double-encoded dot segment", `/v1/conversations/${victim.id}/%252e%252e/${other.id}/messages`],
    ["an encoded NUL", "/v1/bots%00"],
    ["a dot segment above the root", "/../../v1/nope"],
    ["no version", "/conversations"],
    ["another version", "/v2/bots"],
  ];
  for (const [name, id] of [["letters", "abc"], ["zero", "0"], ["a leading zero", "01"], ["a sign", "-1"], ["17 digits", "1".repeat(17)], ["an encoded slash", "1%2F2"]]) {
    cases.push({ family: "path tricks", name: `replay: a dead-letter id with ${name}`, request: { method: "POST", target: `/v1/dead-letters/${id}/replay`, headers: [bearer(t.operatorKey)] }, expect: fail(404, "dead_letter_not_found") });
  }
  for (const [name, target] of routeless) {
    cases.push({ family: "path tricks", name, request: { method: "GET", target, headers: auth }, expect: fail(404, "not_found") });
  }
  return cases;
}

function queryTricks(t: Targets): HostileCase[] {
  const { victim } = t;
  const list = `/v1/conversations/${victim.id}/messages`;
  const auth = [bearer(victim.token)];
  const listQueries = [
    "after=-1", "after=1.5", "after=1e3", "after=abc", "after=", "after=0x10", "after=%201", "after=9007199254740993",
    "after=99999999999999999999", "limit=0", "limit=201", "limit=-1", "limit=abc", "limit=", "limit=1.5", "limit=1e2",
    "after=1&after=2", "limit=1&limit=200", "foo=1", `token=${victim.token}`, "after[]=1", "after[x]=1", "%00=1", "after=1%00",
  ];
  const waits = ["wait=-1", "wait=31", "wait=30.0001", "wait=abc", "wait=", "wait=NaN", "wait=Infinity", "wait=1e1", "wait=0x10", "wait=%205", "wait=1&wait=2", "foo=1", "token=x"];
  // A credential in the URL is no credential: the query refuses `token` like any unknown parameter.
  const ws = ["after=-1", "after=abc", "after=1&after=2", `token=${victim.token}`, `token=${t.operatorKey}`, "foo=1"];
  const upgrade: [string, string][] = [["Upgrade", "websocket"], ["Connection", "Upgrade"], ["Sec-WebSocket-Version", "13"], ["Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="]];
  const cases: HostileCase[] = [
    ...listQueries.map((query) => ({ family: "query tricks", name: `list messages ?${query}`, request: { method: "GET", target: `${list}?${query}`, headers: auth }, expect: INVALID })),
    ...waits.map((query) => ({ family: "query tricks", name: `post message ?${query}`, request: { method: "POST", target: `${list}?${query}`, headers: [...auth, JSON_TYPE], body: '{"text":"hello"}' }, expect: INVALID })),
    ...ws.map((query) => ({
      family: "query tricks",
      name: `websocket ?${query.replaceAll(victim.token, "<token>").replaceAll(t.operatorKey, "<operator key>")}`,
      request: { method: "GET", target: `/v1/conversations/${victim.id}/ws?${query}`, headers: upgrade },
      expect: INVALID,
      socketTicket: { id: victim.id, credential: victim.token, offer: offerTicket },
    })),
  ];
  // A route that takes no query refuses one rather than ignoring it (here, a handoff that would otherwise happen).
  const noQuery: [string, RawRequest][] = [
    ["bots ?x=1", { method: "GET", target: "/v1/bots?x=1" }],
    ["create conversation ?bot=finance", { method: "POST", target: "/v1/conversations?bot=finance", headers: [JSON_TYPE], body: "{}" }],
    ["get conversation ?verbose=1", { method: "GET", target: `/v1/conversations/${victim.id}?verbose=1`, headers: auth }],
    ["handoff ?force=1", { method: "POST", target: `/v1/conversations/${victim.id}/handoff?force=1`, headers: [bearer(t.operatorKey)] }],
    ["release ?x", { method: "POST", target: `/v1/conversations/${victim.id}/release?x`, headers: [bearer(t.operatorKey)] }],
    ["agent message ?role=user", { method: "POST", target: `/v1/conversations/${victim.id}/agent-messages?role=user`, headers: [bearer(t.operatorKey), JSON_TYPE], body: '{"text":"hi"}' }],
    ["nlu parse ?debug=1", { method: "POST", target: "/v1/nlu/parse?debug=1", headers: [JSON_TYPE], body: '{"text":"hi"}' }],
    ["replay ?force=1", { method: "POST", target: "/v1/dead-letters/1/replay?force=1", headers: [bearer(t.operatorKey)] }],
  ];
  for (const query of ["limit=0", "limit=201", "before=0", "before=abc", "before=1&before=2", "limit=1e2", "conversationId=x"]) {
    cases.push({ family: "query tricks", name: `dead letters ?${query}`, request: { method: "GET", target: `/v1/dead-letters?${query}`, headers: [bearer(t.operatorKey)] }, expect: INVALID });
  }
  for (const [name, request] of noQuery) cases.push({ family: "query tricks", name, request, expect: INVALID });
  return cases;
}

function tokenTricks(t: Targets): HostileCase[] {
  const { victim, other, unknown, operatorKey } = t;
  const routes: [string, RawRequest][] = [
    ["post message", { method: "POST", target: `/v1/conversations/${victim.id}/messages`, headers: [JSON_TYPE], body: '{"text":"hello"}' }],
    ["list messages", { method: "GET", target: `/v1/conversations/${victim.id}/messages` }],
    ["get conversation", { method: "GET", target: `/v1/conversations/${victim.id}` }],
  ];
  const withAuth = (request: RawRequest, ...headers: [string, string][]): RawRequest => ({ ...request, headers: [...(request.headers ?? []), ...headers] });
  const authorizations: [string, [string, string][]][] = [
    ["no Authorization", []],
    ["Bearer and nothing", [["Authorization", "Bearer"]]],
    ["Bearer and a space", [["Authorization", "Bearer "]]],
    ["Basic credentials", [["Authorization", "Basic dXNlcjpwYXNz"]]],
    ["another scheme", [["Authorization", `Token ${victim.token}`]]],
    ["no scheme", [["Authorization", victim.token]]],
    ["a token and more", [["Authorization", `Bearer ${victim.token} extra`]]],
    ["another conversation's token", [bearer(other.token)]],
    ["the token of a conversation that does not exist", [bearer(unknown.token)]],
    ["the token with standard base64 padding", [bearer(`${victim.token}=`)]],
    ["the token cut short", [bearer(victim.token.slice(0, -1))]],
    ["the token and one more character", [bearer(`${victim.token}A`)]],
    ["the token, non-canonically spelt", [bearer(nonCanonical(victim.token))]],
    ["the token in ?token= only", []],
    ["the operator key and more", [bearer(`${operatorKey}x`)]],
  ];
  const cases: HostileCase[] = routes.flatMap(([route, request]) =>
    authorizations.map(([name, headers]) => ({
      family: "token tricks",
      name: `${route}: ${name}`,
      request: name.includes("?token=") ? { ...request, target: `${request.target}?token=${victim.token}` } : withAuth(request, ...headers),
      expect: UNAUTHORIZED,
    })),
  );
  const message = (routes[0] as [string, RawRequest])[1];
  for (let position = 0; position < victim.token.length; position++) {
    cases.push({ family: "token tricks", name: `post message: the token with character ${position} flipped`, request: withAuth(message, bearer(flip(victim.token, position))), expect: UNAUTHORIZED });
  }
  cases.push({ family: "token tricks", name: "post message: the operator key (may read, not write as the user)", request: withAuth(message, bearer(operatorKey)), expect: fail(403, "forbidden") });
  const operatorRoutes: [string, RawRequest][] = [
    ["handoff", { method: "POST", target: `/v1/conversations/${victim.id}/handoff` }],
    ["release", { method: "POST", target: `/v1/conversations/${victim.id}/release` }],
    ["agent message", { method: "POST", target: `/v1/conversations/${victim.id}/agent-messages`, headers: [JSON_TYPE], body: '{"text":"hi"}' }],
    ["dead letters", { method: "GET", target: "/v1/dead-letters" }],
    ["replay", { method: "POST", target: "/v1/dead-letters/1/replay" }],
  ];
  const operatorAuth: [string, [string, string][]][] = [
    ["no key", []],
    ["the conversation's token", [bearer(victim.token)]],
    ["the key in upper case", [bearer(operatorKey.toUpperCase())]],
    ["the key cut short", [bearer(operatorKey.slice(0, -1))]],
    ["the key in ?key=", []],
  ];
  for (const [route, request] of operatorRoutes) {
    for (const [name, headers] of operatorAuth) {
      // The key is read from the Authorization header only; one in the query is no key (and the query is checked after it).
      const target = name.includes("?key=") ? `${request.target}?key=${operatorKey}` : request.target;
      cases.push({ family: "token tricks", name: `${route}: ${name}`, request: { ...withAuth(request, ...headers), target }, expect: UNAUTHORIZED });
    }
  }
  const upgrade: [string, string][] = [["Upgrade", "websocket"], ["Connection", "Upgrade"], ["Sec-WebSocket-Version", "13"], ["Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="]];
  const ws = `/v1/conversations/${victim.id}/ws`;
  // A socket opens with a ticket offered in Sec-WebSocket-Protocol; a credential anywhere else is none.
  const sockets: [string, string, [string, string][]][] = [
    ["no ticket", ws, upgrade],
    ["only the Stratus protocol", ws, [...upgrade, ["Sec-WebSocket-Protocol", "stratus.v1"]]],
    ["an empty ticket", ws, [...upgrade, ["Sec-WebSocket-Protocol", offerTicket("")]]],
    ["the conversation token as the ticket", ws, [...upgrade, ["Sec-WebSocket-Protocol", offerTicket(victim.token)]]],
    ["the operator key as the ticket", ws, [...upgrade, ["Sec-WebSocket-Protocol", offerTicket(operatorKey)]]],
    ["the conversation token in the Authorization header", ws, [...upgrade, bearer(victim.token)]],
    ["the operator key in the Authorization header", ws, [...upgrade, bearer(operatorKey)]],
  ];
  for (const [name, target, headers] of sockets) cases.push({ family: "token tricks", name: `websocket: ${name}`, request: { method: "GET", target, headers }, expect: UNAUTHORIZED });
  const ticketed: [string, string, (ticket: string) => string][] = [
    ["a flipped ticket", victim.token, (ticket) => offerTicket(flip(ticket, 7))],
    ["a ticket with its signature cut short", victim.token, (ticket) => offerTicket(ticket.slice(0, -1))],
    ["a ticket without the Stratus protocol", victim.token, (ticket) => `stratus.ticket.${ticket}`],
    ["another conversation's ticket", other.token, offerTicket],
  ];
  for (const [name, credential, offer] of ticketed) {
    const id = credential === victim.token ? victim.id : other.id;
    cases.push({ family: "token tricks", name: `websocket: ${name}`, request: { method: "GET", target: ws, headers: upgrade }, expect: UNAUTHORIZED, socketTicket: { id, credential, offer } });
  }
  const ticketRoute = `/v1/conversations/${victim.id}/socket-tickets`;
  for (const [name, headers] of authorizations.filter(([name]) => !name.includes("?token="))) {
    cases.push({ family: "token tricks", name: `socket ticket: ${name}`, request: { method: "POST", target: ticketRoute, headers }, expect: UNAUTHORIZED });
  }
  cases.push({ family: "token tricks", name: "socket ticket: the token in ?token= only", request: { method: "POST", target: `${ticketRoute}?token=${victim.token}` }, expect: UNAUTHORIZED });
  return cases;
}

/** The token with one character replaced by another base64url character. */
function flip(token: string, position: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const current = alphabet.indexOf(token.charAt(position));
  return token.slice(0, position) + alphabet.charAt((current + 1) % alphabet.length) + token.slice(position + 1);
}

/** The same 32 bytes with the last character's two spare bits set: what a lenient decoder would accept. */
function nonCanonical(token: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return token.slice(0, -1) + alphabet.charAt(alphabet.indexOf(token.charAt(token.length - 1)) + 1);
}

/** Every hostile HTTP request, by family. */
export function hostileHttpCases(targets: Targets): HostileCase[] {
  return [
    ...invalidJson(targets),
    ...deepNesting(targets),
    ...wrongTypes(targets),
    ...prototypePollution(targets),
    ...unknownFields(targets),
    ...unicode(targets),
    ...controlCharacters(targets),
    ...lengths(targets),
    ...huge(targets),
    ...chunked(targets),
    ...contentTypes(targets),
    ...methods(targets),
    ...pathTricks(targets),
    ...queryTricks(targets),
    ...tokenTricks(targets),
  ];
}
