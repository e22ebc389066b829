// The bad-input suite: hundreds of hostile requests and WebSocket frames, generated from the tables
// in http-cases.ts and websocket-cases.ts, against one running stack. Each must get a 4xx JSON
// error in the documented shape with its expected code — never a 5xx, never a crash — and none may
// change a conversation: their transcripts and states, and the dead-letter list, are compared before and after.
// Then the server still chats, and the OpenAPI document declares every status a route gave.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR_API_KEY, startStratus, type ConversationHandle, type Stratus } from "../../devkit/local-stack.ts";
import { postMessage, readTranscript } from "../../devkit/transcript.ts";
import { ConversationSocket, mintSocketTicket, type ReceivedFrame } from "../../devkit/websocket-client.ts";
import { ErrorBodySchema, NluResultSchema } from "../../shared/schemas/index.ts";
import { hostileHttpCases, LENGTH_TEXTS, type HostileCase, type Targets } from "./http-cases.ts";
import { inPool, sendRaw, type RawRequest, type RawResponse } from "./raw-http.ts";
import { hostileFrames } from "./websocket-cases.ts";

const CONCURRENCY = 16;
const operator = { Authorization: `Bearer ${OPERATOR_API_KEY}` };

let stratus: Stratus;
let victim: ConversationHandle;
let other: ConversationHandle;
let targets: Targets;
let before: string;
let allHttpCases: HostileCase[] = [];

/** Per family: cases run and how long they took; printed at the end. */
const report = new Map<string, { cases: number; ms: number }>();
/** Per documented operation (`GET /v1/conversations/{id}`, or `unmatched`): the statuses seen. */
const observed = new Map<string, Set<number>>();

/** Everything a hostile request could have changed, read with the operator key. */
async function snapshot(): Promise<string> {
  const state = async (conversation: { id: string }) => {
    const summary = await stratus.fetch(`/v1/conversations/${conversation.id}`, { headers: operator });
    return { status: summary.status, body: (await summary.json()) as unknown };
  };
  const handles = [victim, other, { ...victim, id: targets.unknown.id, token: targets.unknown.token }];
  const deadLetters = await stratus.fetch("/v1/dead-letters?limit=200", { headers: operator });
  return JSON.stringify({
    conversations: await Promise.all(handles.map(state)),
    transcripts: await Promise.all([victim, other].map((c) => readTranscript(stratus, c))),
    deadLetters: { status: deadLetters.status, body: (await deadLetters.json()) as unknown },
  });
}

beforeAll(async () => {
  stratus = await startStratus();
  victim = await stratus.createConversation({ locale: "en" });
  other = await stratus.createConversation({ locale: "en" });
  await stratus.say(victim, "hello");
  const unknownId = "0123456789abcdef0123456789abcdef";
  targets = {
    victim: { id: victim.id, token: victim.token },
    other: { id: other.id, token: other.token },
    unknown: { id: unknownId, token: (await stratus.tokenFor(unknownId)).token },
    operatorKey: OPERATOR_API_KEY,
  };
  allHttpCases = hostileHttpCases(targets);
  before = await snapshot();
});

afterAll(async () => {
  const rows = [...report].map(([family, { cases, ms }]) => `  ${family.padEnd(36)} ${String(cases).padStart(4)} cases ${String(ms).padStart(6)} ms`);
  const total = [...report.values()].reduce((sum, { cases }) => sum + cases, 0);
  console.log(`bad-input suite: ${total} hostile requests and frames\n${rows.join("\n")}`);
  await stratus?.close();
});

/** The documented operation a request reaches, found the way the router finds it (after URL normalisation). */
function operationOf(request: RawRequest, paths: string[]): string {
  const { pathname } = new URL(`http://stratus${request.target}`);
  const template = paths.find((path) => new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(pathname));
  return template === undefined ? "unmatched" : `${request.method} ${template}`;
}

function record(operation: string, status: number): void {
  const statuses = observed.get(operation) ?? new Set<number>();
  statuses.add(status);
  observed.set(operation, statuses);
}

/** Why a response is not the error a case expects, or undefined when it is. */
function problemWith(hostile: HostileCase, response: RawResponse): string | undefined {
  if (response.status >= 500) return `a ${response.status}: ${response.body.slice(0, 200)}`;
  if (response.status !== hostile.expect.status) return `status ${response.status} (expected ${hostile.expect.status}): ${response.body.slice(0, 200)}`;
  if (!/^application\/json/.test(response.headers.get("content-type") ?? "")) return `content type ${response.headers.get("content-type")}`;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return `a body that is not JSON: ${response.body.slice(0, 200)}`;
  }
  const parsed = ErrorBodySchema.safeParse(body);
  if (!parsed.success) return `a body not in the documented shape: ${response.body.slice(0, 200)}`;
  if (parsed.data.error.code !== hostile.expect.code) return `code ${parsed.data.error.code} (expected ${hostile.expect.code}): ${parsed.data.error.message}`;
  if (parsed.data.error.message.length === 0) return "an empty message";
  if (response.status === 405 && !response.headers.get("allow")) return "a 405 without Allow";
  return undefined;
}

/** Every client gets its own limiter key, as distinct clients would: the per-address budgets stay out of the way. */
const clientAddress = (index: number) => `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;

const HTTP_FAMILIES = [
  "invalid JSON",
  "deep nesting",
  "wrong types",
  "prototype pollution",
  "unknown fields",
  "invalid UTF-8 and lone surrogates",
  "NUL and control characters",
  "4,000 vs 4,001 characters",
  "huge bodies and headers",
  "chunked bodies without a length",
  "wrong content types",
  "methods not allowed",
  "path tricks",
  "query tricks",
  "token tricks",
];

describe("hostile HTTP requests get a 4xx JSON error with their code", () => {
  let documentedPaths: string[] = [];
  beforeAll(async () => {
    const doc = (await (await stratus.fetch("/v1/openapi.json")).json()) as { paths: Record<string, unknown> };
    documentedPaths = Object.keys(doc.paths);
  });

  it.each(HTTP_FAMILIES)("%s", async (family) => {
    const cases = allHttpCases.filter((hostile) => hostile.family === family);
    expect(cases.length).toBeGreaterThan(0);
    const offset = allHttpCases.indexOf(cases[0] as HostileCase);
    const started = Date.now();
    const problems = await inPool(
      cases.map((hostile, i) => async () => {
        const ticket = hostile.socketTicket;
        const offered: [string, string][] = ticket
          ? [["Sec-WebSocket-Protocol", ticket.offer(await mintSocketTicket(stratus.url, ticket.id, ticket.credential))]]
          : [];
        const request = { ...hostile.request, headers: [...(hostile.request.headers ?? []), ...offered, ["CF-Connecting-IP", clientAddress(offset + i)] as [string, string]] };
        const response = await sendRaw(stratus.url, request);
        record(operationOf(request, documentedPaths), response.status);
        const problem = problemWith(hostile, response);
        return problem === undefined ? undefined : `${hostile.name}: ${problem}`;
      }),
      CONCURRENCY,
    );
    report.set(family, { cases: cases.length, ms: Date.now() - started });
    expect(problems.filter((problem) => problem !== undefined)).toEqual([]);
  });

  it("numbers beyond the NLU's range: POST /v1/nlu/parse answers 200 with finite numbers or 422 nlu_failed, never a 5xx", async () => {
    const texts = [
      `I paid $${"9".repeat(400)}`,
      `${"9".repeat(400)} dollars`,
      `send ${"1".repeat(300)}.${"5".repeat(300)} euros`,
      `I need ${"9".repeat(400)} items`,
      "亿".repeat(40),
      `transfer -${"9".repeat(310)} USD`,
    ];
    const started = Date.now();
    for (const [i, text] of texts.entries()) {
      const response = await sendRaw(stratus.url, {
        method: "POST",
        target: "/v1/nlu/parse",
        headers: [["Content-Type", "application/json"], ["CF-Connecting-IP", clientAddress(90_000 + i)]],
        body: JSON.stringify({ text, locale: text.startsWith("亿") ? "zh" : "en" }),
      });
      record("POST /v1/nlu/parse", response.status);
      expect(response.status, text.slice(0, 40)).toBeLessThan(500);
      if (response.status === 200) {
        const result = NluResultSchema.parse(JSON.parse(response.body));
        for (const entity of result.entities) {
          const value = typeof entity.value === "object" ? entity.value.amount : entity.value;
          if (typeof value === "number") expect(Number.isFinite(value)).toBe(true);
        }
      } else {
        expect(response.status).toBe(422);
        expect(ErrorBodySchema.parse(JSON.parse(response.body)).error.code).toBe("nlu_failed");
      }
    }
    report.set("numbers beyond the NLU's range", { cases: texts.length, ms: Date.now() - started });
  });
});

describe("hostile WebSocket frames get an error frame and store nothing", () => {
  it("malformed, binary, over-size, unknown and invalid frames", async () => {
    const frames = hostileFrames();
    const lastSeq = (await readTranscript(stratus, victim)).at(-1)?.seq ?? 0;
    const socket = await ConversationSocket.open(stratus.url, victim.id, victim.token, lastSeq);
    const started = Date.now();
    const problems: string[] = [];
    // After the replay (nothing: it starts at the last seq), `ready`; then one answer per frame.
    const answers = (all: ReceivedFrame[]) => all.filter((f) => f.type !== "ready");
    for (const [i, hostile] of frames.entries()) {
      socket.send(hostile.frame);
      const received = answers(await socket.waitFor((all) => answers(all).length > i));
      const answer = received[i];
      if (answer?.type !== "error") problems.push(`${hostile.name}: got ${JSON.stringify(answer).slice(0, 200)}`);
      else if (answer.error?.code !== hostile.expect) problems.push(`${hostile.name}: ${answer.error?.code} (expected ${hostile.expect})`);
    }
    report.set("WebSocket frames", { cases: frames.length, ms: Date.now() - started });
    expect(problems).toEqual([]);
    // The socket is still open and still answers.
    socket.send("still there?");
    const [last] = answers(await socket.waitFor((all) => answers(all).length > frames.length)).slice(frames.length);
    expect(last?.error?.code).toBe("invalid_frame");
    socket.close();
  });

  it("an operator's socket is read-only: each message it sends gets forbidden", async () => {
    const socket = await ConversationSocket.open(stratus.url, victim.id, OPERATOR_API_KEY, Number.MAX_SAFE_INTEGER);
    const started = Date.now();
    const attempts = [{ type: "message", text: "I am the user now" }, { type: "message", text: "hello", clientMessageId: "op-1" }, { type: "message", text: "where is my order" }];
    for (const frame of attempts) socket.send(frame);
    const errors = (all: ReceivedFrame[]) => all.filter((f) => f.type === "error");
    const frames = errors(await socket.waitFor((all) => errors(all).length >= attempts.length));
    expect(frames.map((f) => f.error?.code)).toEqual(attempts.map(() => "forbidden"));
    report.set("operator socket writes", { cases: attempts.length, ms: Date.now() - started });
    socket.close();
  });

  it("a flood: frames past the conversation's budget get rate_limited with retryAfter, the rest are stored", async () => {
    const flooded = await stratus.createConversation({ locale: "en" });
    const socket = await ConversationSocket.open(stratus.url, flooded.id, flooded.token);
    const sent = 150;
    const started = Date.now();
    for (let i = 0; i < sent; i++) socket.send({ type: "message", text: `flood ${i}`, clientMessageId: `flood-${i}` });
    const frames = await socket.waitFor((all) => all.filter((f) => f.type === "error" || f.message?.role === "user").length >= sent);
    const limited = frames.filter((f) => f.type === "error");
    const accepted = frames.filter((f) => f.message?.role === "user");
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((f) => f.error?.code === "rate_limited" && (f.error.retryAfter ?? 0) >= 1)).toBe(true);
    expect(accepted.length + limited.length).toBe(sent);
    report.set("WebSocket flood", { cases: sent, ms: Date.now() - started });
    socket.close();
    const stored = (await readTranscript(stratus, flooded)).filter((m) => m.role === "user");
    expect(stored.map((m) => m.clientMessageId).toSorted()).toEqual(accepted.map((f) => f.message?.clientMessageId).toSorted());
  });
});

describe("after the hostile requests", () => {
  it("no conversation changed", async () => {
    expect(await snapshot()).toEqual(before);
  });

  it("no Worker crashed or hit an unhandled error", () => {
    const crashes = stratus.runtimeLogs().filter((log) => /unhandled_error|Uncaught|internal error/i.test(log.message));
    expect(crashes.map((log) => log.message.slice(0, 300))).toEqual([]);
  });

  it("the server still chats", async () => {
    const { replies } = await stratus.say(victim, "hello");
    expect(replies[0]?.nlu?.intent.name).toBe("greet");
  });

  it("the OpenAPI document declares every status the hostile requests got from each route", async () => {
    const doc = (await (await stratus.fetch("/v1/openapi.json")).json()) as {
      info: { description?: string };
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const undeclared: string[] = [];
    for (const [operation, statuses] of observed) {
      if (operation === "unmatched") continue;
      const [method = "", path = ""] = operation.split(" ");
      const declared = doc.paths[path]?.[method.toLowerCase()]?.responses;
      // A method the path does not take has no operation to declare its answer in: that is the 405 component.
      if (declared === undefined) {
        for (const status of statuses) if (status !== 405) undeclared.push(`${operation}: ${status} (no such operation)`);
        continue;
      }
      for (const status of statuses) if (!(String(status) in declared)) undeclared.push(`${operation}: ${status}`);
    }
    expect(undeclared).toEqual([]);
    // The answers to requests no operation matches have no operation to be declared in: the document's description names them.
    expect(doc.info.description).toMatch(/`404` `not_found`[^]*`405` `method_not_allowed`/);
    expect(observed.size).toBeGreaterThan(8);
  });
});

/** Accepted inputs at the edges of the rules: what the rules must not refuse (in a conversation of their own). */
describe("inputs at the edges are accepted and stored exactly", () => {
  let edge: ConversationHandle;
  beforeAll(async () => {
    edge = await stratus.createConversation({ locale: "en" });
  });

  it.each(LENGTH_TEXTS)("4,000 %s", async (_name, text) => {
    const sent = text(4000);
    const response = await postMessage(stratus, edge, { text: `  ${sent}\n` });
    expect(response.status).toBe(202);
    const { message } = (await response.json()) as { message: { seq: number; text: string } };
    expect(message.text).toBe(sent);
    const stored = (await readTranscript(stratus, edge)).find((m) => m.seq === message.seq);
    expect(stored?.text).toBe(sent);
  });

  it("a retry with the same clientMessageId and emoji text returns the original message, not a conflict", async () => {
    const body = { text: "👨‍👩‍👧 order 中文 ✓", clientMessageId: "edge-retry-1" };
    const first = await postMessage(stratus, edge, body);
    const retry = await postMessage(stratus, edge, body);
    expect([first.status, retry.status]).toEqual([202, 202]);
    const [a, b] = (await Promise.all([first.json(), retry.json()])) as { message: { id: string; text: string } }[];
    expect(b?.message).toEqual(a?.message);
    expect(a?.message.text).toBe(body.text);
  });

  it("a lone surrogate is refused the same way on the retry: 400 twice, never a 409, nothing stored", async () => {
    // User messages only: the bot's answers to the earlier tests' messages may still be arriving.
    const userMessages = async () => (await readTranscript(stratus, edge)).filter((message) => message.role === "user");
    const before = (await userMessages()).length;
    const body = { text: "hi \ud800", clientMessageId: "edge-retry-2" };
    const statuses = [(await postMessage(stratus, edge, body)).status, (await postMessage(stratus, edge, body)).status];
    expect(statuses).toEqual([400, 400]);
    expect(await userMessages()).toHaveLength(before);
  });

  it("tab and line breaks are kept; a chunked body without a length is read", async () => {
    const text = "line one\n\tline two\r\nline three";
    const response = await sendRaw(stratus.url, {
      method: "POST",
      target: `/v1/conversations/${edge.id}/messages`,
      headers: [["Content-Type", "application/json; charset=UTF-8"], ["Authorization", `Bearer ${edge.token}`]],
      body: JSON.stringify({ text }),
      chunked: 3,
    });
    expect(response.status).toBe(202);
    expect((JSON.parse(response.body) as { message: { text: string } }).message.text).toBe(text);
  });
});
