import { describe, expect, it } from "vitest";
import { LATENCY_BUCKETS } from "./catalogue.ts";
import { writeExposition } from "./exposition.ts";
import { labelBounds } from "./label-domains.ts";
import { MetricsRecorder } from "./recorder.ts";

const bounds = labelBounds(
  { shop: { locales: ["en"], intents: ["greet"], actions: ["lookup_order"], forms: ["order_form"] } },
  [
    { path: "/v1/conversations/:id/messages", method: "POST" },
    { path: '/odd/"quoted"\\path', method: "GET" },
  ],
);

describe("writeExposition", () => {
  it("writes counters, histograms (cumulative buckets, +Inf, _sum, _count) and escapes label values", () => {
    const recorder = new MetricsRecorder(bounds);
    recorder.count("stratus_http_requests_total", { route: '/odd/"quoted"\\path', method: "GET", status: "404" }, 2);
    recorder.observe("stratus_http_request_duration_seconds", { route: "/v1/conversations/:id/messages", method: "POST" }, 0.02);
    recorder.observe("stratus_http_request_duration_seconds", { route: "/v1/conversations/:id/messages", method: "POST" }, 40);
    const text = writeExposition(recorder.take(), bounds);
    expect(text).toContain(
      "# HELP stratus_http_requests_total HTTP requests the gateway answered, by route template, method and status code.\n" +
        "# TYPE stratus_http_requests_total counter\n",
    );
    expect(text).toContain('stratus_http_requests_total{route="/odd/\\"quoted\\"\\\\path",method="GET",status="404"} 2\n');
    const labels = 'route="/v1/conversations/:id/messages",method="POST"';
    const histogram = text.split("\n").filter((line) => line.startsWith("stratus_http_request_duration_seconds") && line.includes(labels));
    expect(histogram).toEqual([
      ...LATENCY_BUCKETS.map((le) => `stratus_http_request_duration_seconds_bucket{${labels},le="${le}"} ${le >= 0.025 ? 1 : 0}`),
      `stratus_http_request_duration_seconds_bucket{${labels},le="+Inf"} 2`,
      `stratus_http_request_duration_seconds_sum{${labels}} 40.02`,
      `stratus_http_request_duration_seconds_count{${labels}} 2`,
    ]);
  });

  it("writes every listable series at 0 before anything is counted: a first event shows in rate()", () => {
    const text = writeExposition([], bounds);
    const turns = text.split("\n").filter((line) => line.startsWith("stratus_turns_total{"));
    // shop × (en, unknown) × (answered, fallback, held)
    expect(turns).toHaveLength(6);
    expect(turns).toContain('stratus_turns_total{bot="shop",locale="unknown",outcome="fallback"} 0');
    // Each route with its own methods only, and the statuses of the error table.
    expect(text).toContain('stratus_http_requests_total{route="/v1/conversations/:id/messages",method="POST",status="500"} 0\n');
    expect(text).toContain('stratus_http_requests_total{route="/v1/conversations/:id/messages",method="POST",status="429"} 0\n');
    expect(text).not.toContain('route="/v1/conversations/:id/messages",method="GET"');
  });

  it("never writes an open-socket gauge below zero", () => {
    const text = writeExposition([{ metric: "stratus_websockets_open", labels: ["shop"], value: -1 }], bounds);
    expect(text).toContain('stratus_websockets_open{bot="shop"} 0\n');
  });
});
