import { describe, expect, it } from "vitest";
import type { Locale } from "../../js/src/types.ts";
import { pickLocale } from "./locale.ts";

const bot = (locales: Locale[], defaultLocale: Locale = "en") => ({ id: "shop", name: "Shop", locales, defaultLocale });

describe("pickLocale", () => {
  it("takes the first wanted language the bot speaks, matching by language (zh-CN → zh)", () => {
    expect(pickLocale(["zh-CN", "en-US"], bot(["en", "zh"]))).toBe("zh");
    expect(pickLocale([undefined, "", "fr-FR", "en-GB"], bot(["en", "zh"]))).toBe("en");
    expect(pickLocale(["es-MX"], bot(["en", "zh", "es"]))).toBe("es");
  });

  it("never picks a language the bot does not speak; falls back to the bot's default", () => {
    expect(pickLocale(["zh-TW"], bot(["en"]))).toBe("en");
    expect(pickLocale(["de"], bot(["en", "zh"], "zh"))).toBe("zh");
  });

  it("works without the bot catalog (unreachable): any language with UI strings", () => {
    expect(pickLocale(["zh"], undefined)).toBe("zh");
    expect(pickLocale(["fr"], undefined)).toBe("en");
  });
});
