import { describe, expect, it } from "vitest";
import { forgetRequest, PROFILE_PHRASES } from "./profile-phrases.ts";
import { LOCALES } from "./languages.ts";

describe("forgetRequest", () => {
  it("hears a user ask to forget their health or financial details, in each language", () => {
    expect(forgetRequest("Please forget my health details", LOCALES)).toBe("health_guidance");
    expect(forgetRequest("delete all of my medical information now", LOCALES)).toBe("health_guidance");
    expect(forgetRequest("forget my financial details", LOCALES)).toBe("financial_planning");
    expect(forgetRequest("忘记我的健康信息", LOCALES)).toBe("health_guidance");
    expect(forgetRequest("请删除我的财务信息", LOCALES)).toBe("financial_planning");
    expect(forgetRequest("Olvida mis datos de salud, por favor", LOCALES)).toBe("health_guidance");
    expect(forgetRequest("borra mis datos financieros", LOCALES)).toBe("financial_planning");
  });

  it("does not take a message that only mentions forgetting and health for a request", () => {
    expect(forgetRequest("I forget my pills sometimes, is my health at risk?", LOCALES)).toBeUndefined();
    expect(forgetRequest("how do I delete my account", LOCALES)).toBeUndefined();
    expect(forgetRequest("我忘记吃药了，对健康有影响吗", LOCALES)).toBeUndefined();
    expect(forgetRequest("olvidé mi pedido", LOCALES)).toBeUndefined();
  });

  it("listens only in the languages it is given", () => {
    expect(forgetRequest("忘记我的健康信息", ["en"])).toBeUndefined();
  });

  it("has every sentence in every language, naming what it forgets", () => {
    for (const locale of LOCALES) {
      const phrases = PROFILE_PHRASES[locale];
      expect(phrases.forgotten).toContain("{what}");
      expect(phrases.rememberedOffer).toContain("{value}");
    }
  });
});
