// The fault decision: both keys, the text markers, the rates (one draw per delivery).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InjectedFault, deliveryFault, injectDeliveryFault, sendsTwice, type FaultSwitch, type TurnDelivery } from "./fault-injection.ts";
import type { FaultSettings } from "./fault-settings.ts";
import type { Metrics } from "./metrics/recorder.ts";

const OFF: FaultSettings = { injection: "on", throwRate: 0, stallRate: 0, stallMs: 20_000 };
const on = (settings: Partial<FaultSettings> = {}): FaultSwitch => ({ devBuild: true, settings: { ...OFF, ...settings } });
const delivery = (text = "hello", deliveryAttempt = 1, attempt = 1): TurnDelivery => ({
  stage: "intent",
  turn: { text, attempt, conversationId: "c1", seq: 1, traceId: "t1" },
  deliveryAttempt,
});
const recorder = () => ({ count: vi.fn<Metrics["count"]>(), adjust: vi.fn<Metrics["adjust"]>(), observe: vi.fn<Metrics["observe"]>() });
/** Draws spread over [0, 1). */
const DRAWS = Array.from({ length: 100 }, (_, i) => i / 100);

describe("deliveryFault", () => {
  it("never faults at rates 0", () => {
    for (const draw of DRAWS) expect(deliveryFault(on(), delivery(), () => draw)).toBeUndefined();
  });

  it("always throws at throw rate 1, and always stalls at stall rate 1", () => {
    for (const draw of DRAWS) {
      const thrown = deliveryFault(on({ throwRate: 1 }), delivery(), () => draw);
      expect(thrown?.kind === "throw" && thrown.error).toBeInstanceOf(InjectedFault);
      expect(deliveryFault(on({ stallRate: 1, stallMs: 1500 }), delivery(), () => draw)).toEqual({ kind: "stall", ms: 1500 });
    }
  });

  it("splits one draw: below the throw rate throws, the next stall-rate's worth stalls, the rest goes through", () => {
    const faults = on({ throwRate: 0.2, stallRate: 0.3 });
    const kinds = DRAWS.map((draw) => deliveryFault(faults, delivery(), () => draw)?.kind ?? "none");
    expect(kinds.filter((kind) => kind === "throw")).toHaveLength(20);
    expect(kinds.filter((kind) => kind === "stall")).toHaveLength(30);
    expect(kinds.filter((kind) => kind === "none")).toHaveLength(50);
  });

  it("faults nothing without both keys, whatever the rates and markers", () => {
    const rates = { throwRate: 1, stallRate: 0 };
    const buildOff: FaultSwitch = { devBuild: false, settings: { ...OFF, ...rates } };
    const varOff: FaultSwitch = { devBuild: true, settings: { ...OFF, ...rates, injection: "off" } };
    for (const faults of [buildOff, varOff]) {
      expect(deliveryFault(faults, delivery(), () => 0)).toBeUndefined();
      expect(deliveryFault(faults, delivery("hello #fail-intent"), () => 0)).toBeUndefined();
      expect(sendsTwice(faults, "dialogue", "hello #dup-dialogue", recorder())).toBe(false);
    }
  });

  it("keeps the text markers, which win over the rates for their stage", () => {
    const random = vi.fn(() => 0);
    const always = on({ throwRate: 1 });
    expect(deliveryFault(always, delivery("hi #fail-intent-once", 1), random)?.kind).toBe("throw");
    expect(deliveryFault(always, delivery("hi #fail-intent-once", 2), random)).toBeUndefined();
    expect(deliveryFault(on(), delivery("hi #fail-intent-until-attempt-2", 4, 1))?.kind).toBe("throw");
    expect(deliveryFault(on(), delivery("hi #fail-intent-until-attempt-2", 1, 2))).toBeUndefined();
    expect(deliveryFault(on(), delivery("hi #fail-intent", 4))).toMatchObject({ error: { message: "injected intent failure" } });
    expect(random).not.toHaveBeenCalled();
    // Another stage's marker leaves this one to its rates.
    expect(deliveryFault(on(), delivery("hi #fail-dialogue"))).toBeUndefined();
    const metrics = recorder();
    expect(sendsTwice(on(), "dialogue", "hi #dup-dialogue", metrics)).toBe(true);
    expect(metrics.count).toHaveBeenCalledWith("stratus_injected_faults_total", { stage: "dialogue", kind: "duplicate" });
  });
});

describe("injectDeliveryFault", () => {
  // Each fault is logged (a JSON line per turn, shared/turn-log.ts); not this test's business.
  beforeEach(() => void vi.spyOn(console, "log").mockImplementation(() => undefined));
  afterEach(() => vi.restoreAllMocks());

  it("throws an InjectedFault that says so, and counts it", async () => {
    const metrics = recorder();
    const thrown = injectDeliveryFault(on({ throwRate: 1 }), delivery(), metrics, { random: () => 0.5 });
    await expect(thrown).rejects.toThrow(/^injected intent failure/);
    await expect(thrown).rejects.toHaveProperty("name", "InjectedFault");
    expect(metrics.count).toHaveBeenCalledExactlyOnceWith("stratus_injected_faults_total", { stage: "intent", kind: "throw" });
  });

  it("waits out a stall, then returns so the delivery carries on", async () => {
    const metrics = recorder();
    const sleep = vi.fn(() => Promise.resolve());
    await injectDeliveryFault(on({ stallRate: 1, stallMs: 1234 }), delivery(), metrics, { sleep, random: () => 0.5 });
    expect(sleep).toHaveBeenCalledWith(1234);
    expect(metrics.count).toHaveBeenCalledExactlyOnceWith("stratus_injected_faults_total", { stage: "intent", kind: "stall" });
  });

  it("does nothing to a delivery without a fault", async () => {
    const metrics = recorder();
    const sleep = vi.fn(() => Promise.resolve());
    await injectDeliveryFault(on({ throwRate: 0.1, stallRate: 0.1 }), delivery(), metrics, { sleep, random: () => 0.5 });
    expect(sleep).not.toHaveBeenCalled();
    expect(metrics.count).not.toHaveBeenCalled();
  });
});
