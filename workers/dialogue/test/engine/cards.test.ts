// A card's texts are cut to what a reply may hold, as the reply schema counts them (UTF-16 units), so
// a product named in emoji or other astral characters still makes a valid reply.
import { describe, expect, it } from "vitest";
import { ReplyCardSchema } from "../../../../shared/schemas/index.ts";
import { renderCards } from "../../src/engine/cards.ts";
import type { TurnView } from "../../src/engine/types.ts";

// renderCards reads only the bot's slot definitions from the view (for a button's setSlots).
const view = { bot: { definition: { slots: {} } } } as unknown as TurnView;

describe("renderCards", () => {
  it("cuts a title, price and button of astral characters to the schema's limits, never inside a character", () => {
    const rendered = renderCards(view, [{ title: "{name}", price: "{name}", buttons: [{ title: "{name}" }] }], (template) => template.replace("{name}", "🎧".repeat(300)));
    const [card] = rendered.cards;
    expect(ReplyCardSchema.safeParse(card).success).toBe(true);
    expect(card?.title).toBe("🎧".repeat(100));
    expect(card?.price).toBe("🎧".repeat(20));
    expect(card?.buttons[0]?.title).toBe("🎧".repeat(20));
  });
});
