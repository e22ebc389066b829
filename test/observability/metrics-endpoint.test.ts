// GET /metrics on the real stack: protected by its own token, valid for Prometheus's own linter,
// labelled by route templates and bounded values only, and exact — after N turns across several
// conversations (several objects, flushing from their isolates), the turn counters add up to N.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { METRICS_TOKEN, OPERATOR_API_KEY, startStratus, type ConversationHandle, type Stratus } from "../../devkit/local-stack.ts";
import { prometheusTools, runPromtool } from "../../devkit/prometheus.ts";
import { parsePrometheusText, sumOf, type Sample } from "../../devkit/prometheus-text.ts";
import { postMessage } from "../../devkit/transcript.ts";
import { TURN_STAGES } from "../../shared/metrics/catalogue.ts";

const FLUSH_MS = 200;
let stratus: Stratus;

beforeAll(async () => {
  stratus = await startStratus({ allVars: { STRATUS_METRICS_FLUSH_MS: String(FLUSH_MS) } });
});
afterAll(() => stratus?.close());

const scrape = async (): Promise<Sample[]> => parsePrometheusText(await stratus.metrics());

/** Scrapes until `done` holds for the samples (metrics reach the aggregator a flush interval later). */
async function scrapeUntil(done: (samples: Sample[]) => boolean, timeoutMs = 20_000): Promise<Sample[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const samples = await scrape();
    if (done(samples) || Date.now() > deadline) return samples;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("GET /metrics", () => {
  it.each([
    ["no token", undefined],
    ["a wrong token", "Bearer not-the-metrics-token"],
    ["the operator key", `Bearer ${OPERATOR_API_KEY}`],
  ])("answers 401 with %s", async (_, authorization) => {
    const response = await stratus.fetch("/metrics", authorization ? { headers: { Authorization: authorization } } : {});
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });

  it("answers the Prometheus text format with the metrics token", async () => {
    const response = await stratus.fetch("/metrics", { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await response.text()).toContain("# TYPE stratus_turns_total counter\n");
  });

  it("counts N turns across several conversations exactly N times, and never again", async () => {
    const before = await scrape();
    const texts = ["hello", "where is my order ORD-4820193", "qwzx plorp vrrk", "thanks"];
    const conversations: ConversationHandle[] = await Promise.all(
      ["ecommerce", "finance", "health", "ecommerce", "finance", "health"].map((bot) => stratus.createConversation({ bot, locale: "en" })),
    );
    const replies = await Promise.all(
      conversations.map(async (conversation) => {
        let count = 0;
        for (const text of texts) count += (await stratus.say(conversation, text)).replies.length;
        return count;
      }),
    );
    const turns = conversations.length * texts.length;
    const botMessages = replies.reduce((a, b) => a + b, 0);
    const delta = (samples: Sample[], name: string, where: Record<string, string> = {}) => sumOf(samples, name, where) - sumOf(before, name, where);

    const after = await scrapeUntil((samples) => delta(samples, "stratus_turns_total") >= turns);
    expect(delta(after, "stratus_turns_total")).toBe(turns);
    expect(delta(after, "stratus_turns_total", { outcome: "answered" })).toBe(turns);
    expect(delta(after, "stratus_messages_total", { role: "user" })).toBe(turns);
    expect(delta(after, "stratus_messages_total", { role: "bot" })).toBe(botMessages);
    expect(delta(after, "stratus_intents_total")).toBe(turns);
    expect(delta(after, "stratus_turn_duration_seconds_count", { outcome: "answered" })).toBe(turns);
    // Every stage's timestamps made it through the queues and back: one observation per turn each.
    for (const stage of TURN_STAGES) expect(delta(after, "stratus_turn_stage_duration_seconds_count", { stage }), stage).toBe(turns);
    for (const bot of ["ecommerce", "finance", "health"]) expect(delta(after, "stratus_turns_total", { bot })).toBe(2 * texts.length);
    // Resent or late flushes must not add anything: several flush intervals later, the same totals.
    await new Promise((resolve) => setTimeout(resolve, 5 * FLUSH_MS));
    expect(delta(await scrape(), "stratus_turns_total")).toBe(turns);
  });

  it("labels requests by route template and status, never by conversation id or raw path", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    await stratus.say(conversation, "hello");
    await postMessage(stratus, conversation, { text: "" }); // 400
    await stratus.fetch("/v1/no/such/route"); // 404, no route matches
    const samples = await scrapeUntil((all) =>
      all.some((s) => s.name === "stratus_http_requests_total" && s.labels.route === "other" && s.labels.status === "404"),
    );
    const requests = samples.filter((sample) => sample.name === "stratus_http_requests_total");
    expect(requests).toContainEqual(
      expect.objectContaining({ labels: { route: "/v1/conversations/:id/messages", method: "POST", status: "400" } }),
    );
    expect(requests.map((sample) => sample.labels.route)).toContain("/v1/conversations");
    const text = await stratus.metrics();
    expect(text).not.toContain(conversation.id);
    expect(text).not.toContain("/v1/no/such/route");
  });

  const promtool = prometheusTools();
  it.skipIf("skip" in promtool)(`passes promtool check metrics after real traffic${"skip" in promtool ? ` (skipped: ${promtool.skip})` : ""}`, async () => {
    if (!("tools" in promtool)) return;
    const check = runPromtool(promtool.tools, ["check", "metrics"], { input: await stratus.metrics() });
    expect(check.output).toBe("");
    expect(check.status).toBe(0);
  });
});
