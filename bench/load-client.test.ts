// The load benchmarks' verdict (lost, duplicated, out of order) must catch each failure it names,
// or a run that loses replies would report 0.
import { describe, expect, it } from "vitest";
import type { Message } from "../shared/schemas/index.ts";
import { checkTranscript } from "./load-client.ts";
import { parseMix } from "./load-run.ts";

const FALLBACK = "stratus_pipeline_fallback";
let nextSeq = 1;
const user = (clientMessageId: string): Message => ({ id: `m${nextSeq}`, seq: nextSeq++, role: "user", text: "hi", createdAt: "2026-12-02T00:00:00.000Z", clientMessageId });
const bot = (replyTo: number, response = "utter_greet"): Message => ({ id: `m${nextSeq}`, seq: nextSeq++, role: "bot", text: "hello", createdAt: "2026-12-02T00:00:00.000Z", replyTo, response });
const clean = { lost: 0, duplicated: 0, outOfOrder: 0, fallbacks: 0 };

describe("checkTranscript", () => {
  it("passes a transcript where every message is answered once, in order", () => {
    nextSeq = 1;
    const a = user("a");
    const greeting = bot(a.seq);
    const more = bot(a.seq, "utter_more");
    const b = user("b");
    expect(checkTranscript([a, greeting, more, b, bot(b.seq)], ["a", "b"], FALLBACK)).toEqual(clean);
  });

  it("counts a message never stored, and one stored but never answered, as lost", () => {
    nextSeq = 1;
    const a = user("a");
    expect(checkTranscript([a], ["a", "b"], FALLBACK)).toMatchObject({ lost: 2 });
  });

  it("counts a message stored twice, and a turn answered twice, as duplicated", () => {
    nextSeq = 1;
    const a = user("a");
    const again = user("a");
    expect(checkTranscript([a, bot(a.seq), again], ["a"], FALLBACK).duplicated).toBe(1);
    nextSeq = 1;
    const b = user("b");
    const c = user("c");
    expect(checkTranscript([b, bot(b.seq), c, bot(c.seq), bot(b.seq)], ["b", "c"], FALLBACK)).toMatchObject({ duplicated: 1, outOfOrder: 1 });
  });

  it("counts replies out of the order of the messages they answer, and messages stored out of send order", () => {
    nextSeq = 1;
    const a = user("a");
    const b = user("b");
    expect(checkTranscript([a, b, bot(b.seq), bot(a.seq)], ["a", "b"], FALLBACK).outOfOrder).toBe(1);
    expect(checkTranscript([a, b, bot(a.seq), bot(b.seq)], ["b", "a"], FALLBACK).outOfOrder).toBe(1);
  });

  it("counts fallback answers without calling them lost", () => {
    nextSeq = 1;
    const a = user("a");
    expect(checkTranscript([a, bot(a.seq, FALLBACK)], ["a"], FALLBACK)).toEqual({ ...clean, fallbacks: 1 });
  });
});

describe("parseMix", () => {
  it("reads bot:locale=weight pairs and refuses pairs without bench texts", () => {
    expect(parseMix("ecommerce:en=3,finance:zh=1")).toEqual([
      { bot: "ecommerce", locale: "en", weight: 3 },
      { bot: "finance", locale: "zh", weight: 1 },
    ]);
    expect(() => parseMix("ecommerce:fr=1")).toThrow(/no bench texts for ecommerce:fr/);
    expect(() => parseMix("ecommerce=1")).toThrow(/bot:locale=weight/);
  });
});
