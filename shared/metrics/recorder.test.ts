import { describe, expect, it } from "vitest";
import { LATENCY_BUCKETS } from "./catalogue.ts";
import { labelBounds } from "./label-domains.ts";
import { MetricsRecorder } from "./recorder.ts";

const bounds = () =>
  labelBounds(
    {
      shop: { locales: ["en", "zh"], intents: ["greet", "order_status"], actions: ["lookup_order"], forms: ["order_form"] },
      bank: { locales: ["en"], intents: ["stock_quote"], actions: [], forms: [] },
    },
    [{ path: "/v1/conversations/:id/messages", method: "POST" }],
  );

describe("MetricsRecorder", () => {
  it("adds up a series and starts again from nothing once taken", () => {
    const recorder = new MetricsRecorder(bounds());
    recorder.count("stratus_turns_total", { bot: "shop", locale: "en", outcome: "answered" });
    recorder.count("stratus_turns_total", { bot: "shop", locale: "en", outcome: "answered" }, 2);
    recorder.count("stratus_turns_total", { bot: "shop", locale: "zh", outcome: "held" });
    expect(recorder.take()).toEqual([
      { metric: "stratus_turns_total", labels: ["shop", "en", "answered"], value: 3 },
      { metric: "stratus_turns_total", labels: ["shop", "zh", "held"], value: 1 },
    ]);
    expect(recorder.isEmpty).toBe(true);
    expect(recorder.take()).toEqual([]);
  });

  it("folds every value outside its bounded set into `other`, so no input creates a series", () => {
    const recorder = new MetricsRecorder(bounds());
    // A bot the deployment does not serve; an intent, a locale and an action of another bot.
    recorder.count("stratus_intents_total", { bot: "made-up", locale: "en", intent: "greet" });
    recorder.count("stratus_intents_total", { bot: "bank", locale: "zh", intent: "order_status" });
    recorder.count("stratus_intents_total", { bot: "shop", locale: "en", intent: "out_of_scope" });
    recorder.count("stratus_action_calls_total", { bot: "bank", action: "lookup_order", outcome: "exploded" });
    // A raw path instead of a route template, a method the route does not have, a status that is not HTTP's.
    recorder.count("stratus_http_requests_total", { route: "/v1/conversations/3f2a/messages", method: "POST", status: "9000" });
    recorder.count("stratus_http_requests_total", { route: "/v1/conversations/:id/messages", method: "DELETE", status: "201" });
    expect(recorder.take().map((series) => series.labels)).toEqual([
      ["other", "other", "other"],
      ["bank", "other", "other"],
      ["shop", "en", "out_of_scope"],
      ["bank", "other", "other"],
      ["other", "other", "other"],
      ["/v1/conversations/:id/messages", "other", "201"],
    ]);
  });

  it("puts an observation in the first bucket whose bound it does not exceed, or above them all", () => {
    const recorder = new MetricsRecorder(bounds());
    const labels = { bot: "shop", stage: "nlu" };
    for (const seconds of [0, 0.005, 0.0051, 1, 31]) recorder.observe("stratus_turn_stage_duration_seconds", labels, seconds);
    const [series] = recorder.take();
    const expected = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
    expected[0] = 2; // 0 and 0.005 (le="0.005")
    expected[1] = 1; // 0.0051 (le="0.01")
    expected[LATENCY_BUCKETS.indexOf(1)] = 1;
    expected[LATENCY_BUCKETS.length] = 1; // 31 s: above 30
    expect(series).toMatchObject({ labels: ["shop", "nlu"], buckets: expected, count: 5 });
    expect(series && "sum" in series ? series.sum : 0).toBeCloseTo(32.0101);
  });

  it("ignores a counter increment that is not positive and a value that is not a number", () => {
    const recorder = new MetricsRecorder(bounds());
    recorder.count("stratus_dead_letters_total", { queue: "intent" }, 0);
    recorder.count("stratus_dead_letters_total", { queue: "intent" }, -1);
    recorder.count("stratus_dead_letters_total", { queue: "intent" }, Number.NaN);
    recorder.observe("stratus_turn_duration_seconds", { bot: "shop", outcome: "answered" }, Number.POSITIVE_INFINITY);
    expect(recorder.isEmpty).toBe(true);
  });

  it("keeps a gauge's ups and downs as one delta", () => {
    const recorder = new MetricsRecorder(bounds());
    recorder.adjust("stratus_websockets_open", { bot: "shop" }, 1);
    recorder.adjust("stratus_websockets_open", { bot: "shop" }, 1);
    recorder.adjust("stratus_websockets_open", { bot: "shop" }, -1);
    expect(recorder.take()).toEqual([{ metric: "stratus_websockets_open", labels: ["shop"], value: 1 }]);
  });

  it("hands out at most `limit` series at a time and keeps the rest", () => {
    const recorder = new MetricsRecorder(bounds());
    for (const outcome of ["answered", "fallback", "held"]) recorder.count("stratus_turns_total", { bot: "shop", locale: "en", outcome });
    expect(recorder.take(2)).toHaveLength(2);
    expect(recorder.take(2)).toEqual([{ metric: "stratus_turns_total", labels: ["shop", "en", "held"], value: 1 }]);
  });
});
