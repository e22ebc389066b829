// What a dead letter's lastError may show an operator: a consumer's error, without secrets a URL carries.
import { describe, expect, it } from "vitest";
import { describeFailure } from "./turn-failures.ts";

describe("describeFailure", () => {
  it("keeps the first line of the error", () => {
    expect(describeFailure(new Error("backend down\n    at decideTurn (decide-turn.ts:12)"))).toBe("Error: backend down");
    expect(describeFailure("invalid queue message: nlu.entities.0.value.amount: expected number")).toBe(
      "invalid queue message: nlu.entities.0.value.amount: expected number",
    );
  });

  it("drops credentials and query strings from URLs, keeping where the request went", () => {
    expect(describeFailure(new TypeError("fetch failed: https://user:s3cret@api.example.com/v1/orders/ORD-1?api_key=abc&x=1#frag"))).toBe(
      "TypeError: fetch failed: https://api.example.com/v1/orders/ORD-1",
    );
    expect(describeFailure("GET http://127.0.0.1:8790/quotes?token=t 500")).toBe("GET http://127.0.0.1:8790/quotes 500");
  });

  it("cuts a long error to 300 characters", () => {
    const described = describeFailure(new Error("x".repeat(1000)));
    expect(described).toHaveLength(300);
    expect(described.endsWith("…")).toBe(true);
  });
});
