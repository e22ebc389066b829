// bot.yaml `profile` (what a bot reads and writes of signed-in users' profiles, for which purposes),
// a slot's `remember` and `sensitive`, and `redaction.entities`: validated when bots are built.
import { describe, expect, it } from "vitest";
import { BotDefinitionSchema, rememberedField } from "./bot.ts";
import { PROFILE_FIELD_NAMES, PROFILE_FIELDS, SPECIAL_PURPOSES, expandFieldPatterns } from "./profile.ts";

const bot = (extra: Record<string, unknown>) =>
  BotDefinitionSchema.safeParse({
    id: "shop",
    name: "Shop",
    locales: ["en"],
    defaultLocale: "en",
    fallback: { rephrase: "utter_rephrase", offerHuman: "utter_rephrase", declined: "utter_rephrase" },
    handoff: { response: "utter_rephrase" },
    responses: { utter_rephrase: { en: "Could you rephrase?" }, utter_ask_consent: { en: "May I remember your answers for next time?" } },
    ...extra,
  });
const issues = (result: ReturnType<typeof bot>) =>
  result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

describe("a bot's profile declaration", () => {
  it("lets the shop read contact details and preferences for the purposes it serves", () => {
    const result = bot({ profile: { purposes: ["service", "personalisation"], read: ["contact.*", "preferences.*"], write: ["contact.email"] } });
    expect(issues(result)).toEqual([]);
  });

  it("refuses health and finance fields to a bot that does not serve their purposes: the shop cannot read health facts", () => {
    const result = bot({ profile: { purposes: ["service", "personalisation"], read: ["contact.*", "health.*", "finance.horizon"] } });
    expect(issues(result)).toEqual([
      expect.stringMatching(/^profile\.read\.1: "health\.\w+" is collected for health_guidance, which this bot does not declare/),
      expect.stringMatching(/^profile\.read\.2: "finance\.horizon" is collected for financial_planning/),
    ]);
  });

  it("refuses unknown fields and categories, by name", () => {
    const result = bot({ profile: { purposes: ["service"], read: ["contact.shoe_size", "wealth.*"] } });
    expect(issues(result)).toHaveLength(2);
    expect(issues(result).join("\n")).toMatch(/not a profile field or category: "contact.shoe_size"/);
  });

  it("remembers a slot only in a declared field of its own type, and asks consent before writing special categories", () => {
    const finance = {
      slots: {
        horizon: { type: "number", remember: "profile.finance.horizon" },
        goal: { type: "text", remember: "profile.finance.goal" },
        reaction: { type: "enum", values: ["sell", "hold", "buy"], remember: "profile.finance.drawdown_reaction" },
      },
    };
    expect(issues(bot({ ...finance, profile: { purposes: ["financial_planning"], read: ["finance.*"], write: ["finance.*"], consent: { financial_planning: "utter_ask_consent" } } }))).toEqual([]);
    expect(rememberedField({ remember: "profile.finance.horizon" })).toBe("finance.horizon");

    expect(issues(bot({ ...finance, profile: { purposes: ["financial_planning"], write: ["finance.*"] } }))).toEqual([
      "profile.consent: the bot writes financial_planning facts: profile.consent.financial_planning must name the response that asks for consent",
    ]);
    expect(issues(bot({ ...finance, profile: { purposes: ["financial_planning"], write: ["finance.goal", "finance.drawdown_reaction"], consent: { financial_planning: "utter_nowhere" } } }))).toEqual([
      'slots.horizon.remember: "finance.horizon" is not in profile.write',
      'profile.consent.financial_planning: unknown response "utter_nowhere"',
    ]);
    expect(issues(bot({ slots: { horizon: { type: "text", remember: "profile.finance.horizon" } }, profile: { purposes: ["financial_planning"], write: ["finance.*"], consent: { financial_planning: "utter_ask_consent" } } }))).toEqual([
      'slots.horizon.remember: a text slot cannot be remembered in "finance.horizon", which holds number',
    ]);
    expect(issues(bot({ slots: { horizon: { type: "number", remember: "profile.finance.horizon" } } }))).toEqual([
      "slots.horizon.remember: a remembered slot needs the bot's `profile` declaration (purposes, write)",
    ]);
    expect(issues(bot({ slots: { horizon: { type: "number", remember: "finance.horizon" } } }))).toEqual([
      'slots.horizon.remember: "finance.horizon" is not profile.<field> of a known profile field',
    ]);
  });

  it("marks slots and entity types sensitive", () => {
    const result = bot({ slots: { card: { type: "text", entity: "card_number", sensitive: true } }, redaction: { entities: ["iban"] } });
    expect(issues(result)).toEqual([]);
    expect(result.success && result.data.slots.card?.sensitive).toBe(true);
    expect(issues(bot({ redaction: { entities: ["iban"], keepEverything: true } }))).toEqual([expect.stringMatching(/^redaction: Unrecognized key/)]);
  });

  it("leaves bots without a declaration as they were", () => {
    const result = bot({});
    expect(result.success && [result.data.profile, result.data.redaction]).toEqual([undefined, undefined]);
  });
});

describe("the field catalogue", () => {
  it("gives every field a category, a type and one purpose; health and finance are the special categories", () => {
    for (const field of PROFILE_FIELD_NAMES) expect(field).toMatch(/^(contact|preferences|finance|health)\.[a-z_]+$/);
    expect([...SPECIAL_PURPOSES].sort()).toEqual(["financial_planning", "health_guidance"]);
    expect(expandFieldPatterns(["health.*"]).every((field) => PROFILE_FIELDS[field].purpose === "health_guidance")).toBe(true);
    expect(expandFieldPatterns(["contact.email", "contact.*"])).toEqual(["contact.name", "contact.email", "contact.phone", "contact.postcode"]);
  });
});
