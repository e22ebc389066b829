// Splitting help pages into passages, analysing text per language, and ranking: what a bot author
// and a user would notice (a section found by its heading, a number kept whole, a Chinese question
// matched without spaces).
import { describe, expect, it } from "vitest";
import type { KnowledgePassage } from "../schemas/knowledge.ts";
import { analyze } from "./analyze.ts";
import { buildKnowledgeIndex } from "./build-index.ts";
import { parseHtml } from "./html.ts";
import { parseMarkdown } from "./markdown.ts";
import { documentPassages, quotePassage, splitText } from "./passages.ts";
import { KnowledgeIndex } from "./search.ts";
import { stemSpanish } from "./stem-spanish.ts";

describe("Markdown pages", () => {
  const page = `---
title: Shipping
url: https://shop.example/ship
---
# Shipping and delivery

We ship **worldwide** from our
warehouse in [Rotterdam](https://example.com).

## Delivery times {#times}

| Method | Time |
|---|---|
| Standard | 3–5 days |

\`\`\`
# not a heading
\`\`\`

### Express
Next day.

Returns
-------
Thirty days.
`;
  const document = parseMarkdown(page, "fallback");

  it("takes the front matter's title and link, and the first heading's text as the introduction", () => {
    expect(document.title).toBe("Shipping");
    expect(document.url).toBe("https://shop.example/ship");
    expect(document.sections[0]).toEqual({ headings: [], anchor: "", text: "We ship worldwide from our warehouse in Rotterdam." });
  });

  it("keeps each section's heading path and anchor, tables as rows, code verbatim, setext headings", () => {
    expect(document.sections.map((section) => [section.headings.join(" / "), section.anchor])).toEqual([
      ["", ""],
      ["Delivery times", "times"],
      ["Delivery times / Express", "express"],
      ["Returns", "returns"],
    ]);
    expect(document.sections[1]?.text).toBe("Method | Time\nStandard | 3–5 days\n\n# not a heading");
  });

  it("becomes passages titled by their heading path, linked to their section", () => {
    const passages = documentPassages(document, { path: "shipping", url: "https://shop.example/ship", prefix: "en", maxChars: 1000 });
    expect(passages[2]).toEqual({
      id: "en/shipping#express",
      title: "Shipping › Delivery times › Express",
      text: "Next day.",
      url: "https://shop.example/ship#express",
      doc: "en/shipping",
    });
    expect(passages[0]?.url).toBe("https://shop.example/ship");
  });
});

describe("HTML pages", () => {
  const document = parseHtml(
    `<html><head><title>Pay | Shop</title><link rel="canonical" href="https://x.example/pay?a=1&amp;b=2"></head>
     <body><nav>Home | Help</nav><main><h1>Payments</h1><p>We take cards &amp; PayPal.</p>
     <h2 id="cards">Cards</h2><p>Visa,<br>Mastercard</p><ul><li>One</li><li>Two</li></ul>
     <h3>Declined &#8211; why</h3><p>Call your bank&nbsp;first.</p><script>var x = "<h2>no</h2>";</script></main><footer>(c)</footer></body></html>`,
    "fallback",
  );

  it("reads the main content's sections without the site's navigation, scripts or footer", () => {
    expect(document.title).toBe("Payments");
    expect(document.url).toBe("https://x.example/pay?a=1&b=2");
    expect(document.sections).toEqual([
      { headings: [], anchor: "", text: "We take cards & PayPal." },
      { headings: ["Cards"], anchor: "cards", text: "Visa,\nMastercard\n\n- One\n- Two" },
      { headings: ["Cards", "Declined – why"], anchor: "declined--why", text: "Call your bank first." },
    ]);
  });
});

describe("long sections", () => {
  it("are cut at paragraph ends, then sentence ends, never above the limit", () => {
    const text = ["First paragraph is here.", "Second one. It has two sentences that are long enough to matter here.", "Third."].join("\n\n");
    const parts = splitText(text, 60);
    expect(parts.every((part) => part.length <= 60)).toBe(true);
    expect(parts.join(" ")).toContain("Third.");
    expect(parts[0]?.startsWith("First paragraph is here.\n\nSecond one.")).toBe(true);
  });

  it("are quoted up to the limit with an ellipsis", () => {
    const quote = quotePassage("One sentence here. Another sentence follows. And a third one.", 45);
    expect(quote).toBe("One sentence here. Another sentence follows.…");
    expect(quotePassage("Short.", 45)).toBe("Short.");
  });
});

describe("analysis", () => {
  it("stems English, drops stop words, keeps numbers whole", () => {
    expect(analyze("How many days does shipping take? It's $1,250.50 or 2.5% over 30 days", "en")).toEqual([
      "mani", "day", "ship", "take", "1250.50", "2.5", "30", "day",
    ]);
  });

  it("gives Chinese characters and neighbouring pairs, without stop characters or question pairs", () => {
    expect(analyze("退货运费多少？", "zh")).toEqual(["退", "退货", "货", "货运", "运", "运费", "费", "费多", "多", "少"]);
  });

  it("adds each word's exact form beside its stem when asked (the index's terms)", () => {
    expect(analyze("working abroad, 2 days", "en", { exactForms: true })).toEqual(["work", "=working", "abroad", "=abroad", "2", "day", "=days"]);
  });

  it("folds Spanish accents and light-stems plurals and verb endings", () => {
    expect(analyze("¿Cuánto tardan los envíos?", "es")).toEqual(["tard", "envi"]);
    expect(["envío", "envios", "enviar"].map((word) => stemSpanish(word.normalize("NFD").replace(/\p{M}/gu, "")))).toEqual(["envi", "envi", "envi"]);
  });
});

describe("ranking", () => {
  const passage = (id: string, title: string, text: string): KnowledgePassage => ({ id, title, text, url: `https://x.example/${id}`, doc: id.split("#")[0] ?? id });
  const index = new KnowledgeIndex(
    buildKnowledgeIndex(
      [
        passage("en/shipping#times", "Shipping › Delivery times", "Standard parcels arrive in 3–5 business days, express in 1–2."),
        passage("en/shipping#countries", "Shipping › Where we ship", "We deliver to the United States, Canada and the EU."),
        passage("en/returns#refunds", "Returns › Refund times", "Refunds reach your card within 5 business days of the return arriving."),
      ],
      "en",
    ),
  );

  it("finds a section by its heading even when its text does not use the question's words", () => {
    expect(index.search("what are your delivery times?")[0]?.passage.id).toBe("en/shipping#times");
    expect(index.search("Do you ship to Canada")[0]?.passage.id).toBe("en/shipping#countries");
  });

  it("is confident when the passage covers the question and not when the question is about something else", () => {
    expect(index.search("When will my refund reach my card?")[0]?.confidence).toBeGreaterThan(0.45);
    const unrelated = index.search("what is the weather in Paris")[0];
    expect(unrelated?.confidence ?? 0).toBeLessThan(0.45);
  });

  it("is not confident for a question of numbers only, however many passages have them; a number still ranks", () => {
    const sum = index.search("what is 3 plus 5");
    expect(sum.length).toBeGreaterThan(0);
    expect(Math.max(...sum.map((match) => match.confidence))).toBe(0);
    expect(index.search("do refunds take 5 business days")[0]?.passage.id).toBe("en/returns#refunds");
  });

  it("does not let a word of a heading outrank the section that answers", () => {
    const cards = new KnowledgeIndex(
      buildKnowledgeIndex(
        [
          passage("en/payments#gift-cards", "Payments › Gift cards", "Gift cards from $10 to $500 never expire and can be combined with a voucher."),
          passage("en/payments#when-charged", "Payments › When you are charged", "The payment is authorised when you order; the money is taken when the order ships."),
          passage("en/payments#declined", "Payments › Declined payments", "Your bank decides whether a payment is declined; try another card."),
        ],
        "en",
      ),
    );
    // "card" names a heading, but the question is about when the money is taken.
    expect(cards.search("when is the money taken from my card")[0]?.passage.id).toBe("en/payments#when-charged");
  });

  it("prefers the very word the question uses where the stemmer joins two", () => {
    const cards = new KnowledgeIndex(
      buildKnowledgeIndex(
        [
          passage("en/cards#pin", "Cards › Your PIN", "Nobody who works for the bank will ask for your PIN."),
          passage("en/cards#controls", "Cards › Controls", "Turn off contactless payments or the card working abroad."),
        ],
        "en",
      ),
    );
    expect(cards.search("stop my card working")[0]?.passage.id).toBe("en/cards#controls");
  });

  it("builds the same index from the same passages", () => {
    const data = buildKnowledgeIndex([passage("en/a", "A", "alpha beta"), passage("en/b", "B", "beta gamma")], "en");
    expect(buildKnowledgeIndex([passage("en/a", "A", "alpha beta"), passage("en/b", "B", "beta gamma")], "en")).toEqual(data);
    expect(data.terms).toEqual([...data.terms].sort());
  });
});
