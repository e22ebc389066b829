// A reply's cards as a messaging platform without cards gets them: lines of text, the first button of each a quick reply.
import { describe, expect, it } from "vitest";
import { withCardsAsText } from "./channel-cards.ts";
import { numberedListShown } from "./channel-numbered-lists.ts";
import { resolveNumberedReply } from "./channel-conversation.ts";

const recommendations = {
  text: "Picked for you:",
  cards: [
    {
      title: "House blend coffee beans (1 kg)",
      subtitle: "You bought this before (5 orders)",
      imageUrl: "/products/coffee.svg",
      price: "$18.00",
      buttons: [
        { title: "View", text: "View: House blend coffee beans (1 kg)" },
        { title: "Add to cart", text: "Add to cart: House blend coffee beans (1 kg)" },
      ],
    },
    { title: "A5 dotted notebook", price: "$9.50", buttons: [{ title: "View", text: "View: A5 dotted notebook" }] },
  ],
};

describe("withCardsAsText", () => {
  it("lists each card under the text and offers its first button as a quick reply", () => {
    expect(withCardsAsText(recommendations)).toEqual({
      text: "Picked for you:\n\n• House blend coffee beans (1 kg) — $18.00 — You bought this before (5 orders)\n• A5 dotted notebook — $9.50",
      quickReplies: ["View: House blend coffee beans (1 kg)", "View: A5 dotted notebook"],
    });
  });

  it("keeps the reply's own quick replies first, and leaves a reply without cards as it was", () => {
    expect(withCardsAsText({ ...recommendations, quickReplies: ["Talk to a person"] }).quickReplies).toEqual([
      "Talk to a person",
      "View: House blend coffee beans (1 kg)",
      "View: A5 dotted notebook",
    ]);
    expect(withCardsAsText({ text: "Hello", quickReplies: ["Track my order"] })).toEqual({ text: "Hello", quickReplies: ["Track my order"] });
    expect(withCardsAsText({ text: "Hello", quickReplies: [] })).toEqual({ text: "Hello" });
  });

  it("resolves a numbered answer on WeChat (a numbered list) to the card's button text", () => {
    const shown = withCardsAsText(recommendations);
    expect(numberedListShown("wechat", shown)).toBe(true);
    expect(resolveNumberedReply("2", shown.quickReplies)).toBe("View: A5 dotted notebook");
  });
});
