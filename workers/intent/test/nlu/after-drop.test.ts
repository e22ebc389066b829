/**
 * A message that drops what the user was doing before asking something else ("never mind that, …",
 * "算了，…"): the NLU also reads what follows the drop words alone (`afterDrop`), since the drop words
 * pull the whole message towards a no. The example bots' trained models (generated/models.json,
 * `npm run build`).
 */
import { describe, expect, it } from "vitest";
import { HAS_EXAMPLE_MODELS, understand } from "./example-models.ts";

describe.skipIf(!HAS_EXAMPLE_MODELS)("what a message asks after dropping its task", () => {
  it("is read from the words after the drop phrase, where the whole message is heard as a no or a weak request", () => {
    const quote = understand("finance", "actually never mind that, what's Apple trading at right now?");
    expect(quote.intent.confidence).toBeLessThan(0.8);
    expect(quote.afterDrop).toMatchObject({ name: "stock_quote" });
    expect(quote.afterDrop?.confidence).toBeGreaterThanOrEqual(0.8);

    const booking = understand("health", "算了，还是帮我预约个门诊吧");
    expect(booking.intent.name).toBe("deny");
    expect(booking.afterDrop?.name).toBe("book_appointment");
    expect(booking.afterDrop?.confidence).toBeGreaterThanOrEqual(0.8);
  });

  it("reads the clause after the one the drop phrase is in, when there is one (the drop may go on past the phrase)", () => {
    const booking = understand("health", "算了不问这个了，还是帮孩子约个医生吧");
    expect(booking.intent.name).toBe("deny");
    expect(booking.afterDrop?.name).toBe("book_appointment");
    const tracking = understand("ecommerce", "never mind the return, just tell me where 12345678 is");
    expect(tracking.afterDrop?.name).toBe("order_status");
  });

  it("is read after dropping a named task (\"forget the return\", \"olvida la devolución\")", () => {
    expect(understand("ecommerce", "hmm actually forget the return, has my refund for it come through?").afterDrop?.name).toBe("refund_status");
    expect(understand("ecommerce", "olvida la devolución, ya me llegó el reembolso del ORD-2718281?").afterDrop?.name).toBe("refund_status");
    expect(understand("health", "hmm no, forget the pills, i just want to see a GP. can you set that up?").afterDrop?.name).toBe("book_appointment");
  });

  it("is absent when what follows says what the user will do themselves", () => {
    for (const [bot, text] of [
      ["health", "算了算了，我去问医生"],
      ["health", "never mind, I'll ask my doctor"],
      ["ecommerce", "forget it, ill check later"],
      ["ecommerce", "olvídalo, ya lo miro yo mañana"],
    ] as const) {
      expect(understand(bot, text).afterDrop, text).toBeUndefined();
    }
  });

  it("is absent without a drop phrase as whole words, or with nothing after it", () => {
    expect(understand("ecommerce", "where is my order ORD-4820193").afterDrop).toBeUndefined();
    expect(understand("ecommerce", "never mind").afterDrop).toBeUndefined();
    expect(understand("ecommerce", "算了").afterDrop).toBeUndefined();
    // "forget it" inside other words is no drop phrase.
    expect(understand("ecommerce", "don't forget items in my basket, where is ORD-4820193").afterDrop).toBeUndefined();
    expect(understand("ecommerce", "I always forget it's ORD-4820193, where is it").afterDrop).toBeUndefined();
  });
});
