import { describe, expect, it } from "vitest";
import { botRedactionSettings, maskText, ownValuesOf, redactJson, redactSlots, redactText, turnRedactionPolicy } from "./index.ts";
import type { Entity } from "../schemas/nlu.ts";
import { chineseResidentIdValid, ibanChecksumValid, luhnValid, spanishIdLetterValid } from "./check-digits.ts";

/** An NLU entity as the intent Worker reports it, at the value's place in the text. */
function entity(text: string, type: string, value: string): Entity {
  const start = text.indexOf(value);
  return { entity: type, value, start, end: start + value.length, text: value, source: "regex" };
}

describe("card numbers", () => {
  it.each([
    ["4111 1111 1111 1111", "1111"],
    ["4111-1111-1111-1111", "1111"],
    ["4242424242424242", "4242"],
    ["5555 5555 5555 4444", "4444"],
    ["3782 822463 10005", "0005"],
    ["6011 1111 1111 1117", "1117"],
    ["3530 1113 3330 0000", "0000"],
  ])("masks %s and keeps its last four", (card, last4) => {
    const { text, findings } = redactText(`my card is ${card}, thanks`);
    expect(text).toBe(`my card is [card ****${last4}], thanks`);
    expect(findings).toEqual([expect.objectContaining({ kind: "card", keep: last4 })]);
  });

  it("leaves a number of card length whose Luhn check fails", () => {
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(maskText("card 4111 1111 1111 1112")).toBe("card 4111 1111 1111 1112");
    // Luhn-valid but no card issuer starts with 1, 7, 8, 9 or 0.
    expect(maskText("ref 0000 0000 0000 0000")).toBe("ref 0000 0000 0000 0000");
  });

  it("finds the card inside a longer run of numbers (the expiry after it)", () => {
    expect(maskText("4111 1111 1111 1111 0427")).toBe("[card ****1111] 0427");
  });

  it("does not take a tracking or order number glued to letters for a card", () => {
    expect(maskText("tracking 1Z999AA10123456784 and ORD-4242424242424242")).toBe("tracking 1Z999AA10123456784 and ORD-4242424242424242");
  });
});

describe("IBANs", () => {
  it.each([
    ["GB82 WEST 1234 5698 7654 32", "5432"],
    ["GB82WEST12345698765432", "5432"],
    ["DE89 3704 0044 0532 0130 00", "3000"],
    ["ES91 2100 0418 4502 0005 1332", "1332"],
    ["FR14 2004 1010 0505 0001 3M02 606", "2606"],
    ["nl91 abna 0417 1643 00", "4300"],
  ])("masks %s and keeps its last four", (iban, last4) => {
    expect(maskText(`pay to ${iban}.`)).toBe(`pay to [iban ****${last4}].`);
  });

  it("leaves an IBAN with a wrong check or a wrong length", () => {
    expect(ibanChecksumValid("GB82WEST12345698765433")).toBe(false);
    expect(maskText("GB82 WEST 1234 5698 7654 33")).toBe("GB82 WEST 1234 5698 7654 33");
    expect(maskText("GB82 WEST 1234 5698 7654 3")).toBe("GB82 WEST 1234 5698 7654 3");
    expect(maskText("size EU42 shoes")).toBe("size EU42 shoes");
  });
});

describe("e-mail addresses", () => {
  it("masks addresses, leaving the sentence's punctuation", () => {
    expect(maskText("write to jane.doe+shop@example.co.uk.")).toBe("write to [email].");
    expect(maskText("邮箱是wang.li@163.com谢谢")).toBe("邮箱是[email]谢谢");
    expect(maskText("correo: maría@correo.es")).toBe("correo: [email]");
  });

  it("leaves what only looks like one", () => {
    expect(maskText("meet @ 10, or user@localhost, or a@b.c")).toBe("meet @ 10, or user@localhost, or a@b.c");
  });
});

describe("phone numbers", () => {
  it.each([
    // International, in any language.
    "+1 415 555 2671",
    "+44 20 7946 0958",
    "+44 (0)20 7946 0958",
    "+86 138 1234 5678",
    "+34 612 345 678",
    "0044 20 7946 0958",
  ])("masks %s for every bot", (phone) => {
    expect(maskText(`call ${phone} today`, { locales: ["en"] })).toBe("call [phone] today");
  });

  it.each([
    ["en", "(415) 555-2671"],
    ["en", "415-555-2671"],
    ["en", "415.555.2671"],
    ["en", "1 800 555 0199"],
    ["en", "020 7946 0958"],
    ["en", "07700 900123"],
    ["en", "07700900123"],
    ["zh", "13812345678"],
    ["zh", "138 1234 5678"],
    ["zh", "138-1234-5678"],
    ["zh", "010-62345678"],
    ["zh", "010 6234 5678"],
    ["zh", "(0755) 81234567"],
    ["es", "612 345 678"],
    ["es", "612345678"],
    ["es", "91 123 45 67"],
  ] as const)("masks the %s national number %s", (locale, phone) => {
    expect(maskText(`tel ${phone} ok`, { locales: [locale] })).toBe("tel [phone] ok");
  });

  it("reads a Chinese mobile inside Chinese text and fullwidth digits", () => {
    expect(maskText("我的手机号是13812345678，谢谢", { locales: ["zh"] })).toBe("我的手机号是[phone]，谢谢");
    expect(maskText("电话１３８１２３４５６７８", { locales: ["zh"] })).toBe("电话[phone]");
  });

  it("applies a country's national format only for the bot's languages", () => {
    expect(maskText("612345678", { locales: ["en", "zh"] })).toBe("612345678");
    expect(maskText("(415) 555-2671", { locales: ["es"] })).toBe("(415) 555-2671");
  });
});

describe("the bot's own contact details", () => {
  const answer = "Freeze the card in the app or call +1 555 0199, available 24/7, or write to help@bank.example.";

  it("are found in the bot's own texts", () => {
    expect(ownValuesOf([answer, "No numbers here."], ["en"]).sort()).toEqual(["+1 555 0199", "help@bank.example"]);
  });

  it("are kept where a reply is masked, however the number is spaced; anyone else's are masked beside them", () => {
    const keep = ownValuesOf([answer], ["en"]);
    expect(maskText(answer, { locales: ["en"], keep })).toBe(answer);
    expect(maskText("Our line is +1-555-0199; we'll call you back on +44 20 7946 0958.", { locales: ["en"], keep })).toBe(
      "Our line is +1-555-0199; we'll call you back on [phone].",
    );
    // Without the list, the hotline is masked as any phone number is.
    expect(maskText(answer, { locales: ["en"] })).toContain("[phone]");
    // A value the bot marks sensitive is masked even if it is listed.
    expect(maskText(answer, { locales: ["en"], keep, values: ["+1 555 0199"] })).not.toContain("555 0199");
  });
});

describe("national identity numbers", () => {
  it("masks a US SSN and a UK National Insurance number for English", () => {
    expect(maskText("SSN 536-22-1234", { locales: ["en"] })).toBe("SSN [national id]");
    expect(maskText("ssn 536 22 1234", { locales: ["en"] })).toBe("ssn [national id]");
    expect(maskText("NI number AB 12 34 56 C", { locales: ["en"] })).toBe("NI number [national id]");
    expect(maskText("ni ab123456c", { locales: ["en"] })).toBe("ni [national id]");
  });

  it("leaves SSNs and NI numbers that cannot be issued", () => {
    for (const text of ["000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000"]) {
      expect(maskText(text, { locales: ["en"] })).toBe(text);
    }
    // Q is never a first letter, GB never a prefix, E never a suffix.
    for (const text of ["QQ 12 34 56 C", "GB 12 34 56 A", "AB 12 34 56 E"]) expect(maskText(text, { locales: ["en"] })).toBe(text);
  });

  it("masks a Chinese resident identity number with a valid MOD 11-2 check and birth date", () => {
    expect(chineseResidentIdValid("11010519491231002X")).toBe(true);
    expect(maskText("身份证号11010519491231002X", { locales: ["zh"] })).toBe("身份证号[national id]");
    expect(maskText("身份证 440308199901101512", { locales: ["zh"] })).toBe("身份证 [national id]");
    expect(maskText("身份证 110105 19491231 002x", { locales: ["zh"] })).toBe("身份证 [national id]");
    expect(maskText("身份证 310115200002291235", { locales: ["zh"] })).toBe("身份证 [national id]");
  });

  it("leaves an 18-digit number whose check character or date is wrong", () => {
    expect(maskText("号码 110105194912310021", { locales: ["zh"] })).toBe("号码 110105194912310021");
    expect(chineseResidentIdValid("110105194902300025")).toBe(false);
  });

  it("masks a Spanish DNI and NIE whose check letter is right", () => {
    expect(spanishIdLetterValid("12345678", "z")).toBe(true);
    expect(maskText("mi DNI es 12345678Z", { locales: ["es"] })).toBe("mi DNI es [national id]");
    expect(maskText("DNI 12345678-Z", { locales: ["es"] })).toBe("DNI [national id]");
    expect(maskText("NIE X1234567L", { locales: ["es"] })).toBe("NIE [national id]");
    expect(maskText("NIE Y-7654321-G", { locales: ["es"] })).toBe("NIE [national id]");
  });

  it("leaves a DNI or NIE with the wrong letter, and Spanish words after a number", () => {
    for (const text of ["DNI 12345678A", "NIE X1234567M", "envié 48291736 a Madrid"]) expect(maskText(text, { locales: ["es"] })).toBe(text);
  });

  it("looks for a language's ids only in that language's bots", () => {
    expect(maskText("12345678Z", { locales: ["en"] })).toBe("12345678Z");
    expect(maskText("536-22-1234", { locales: ["es"] })).toBe("536-22-1234");
  });
});

describe("what is left alone", () => {
  it.each([
    "where is my order ORD-4820193?",
    "my order number is 4820193",
    "receipt 12345678",
    "it cost $1,299.00 or 1.299,00 €",
    "delivered on 2026-11-20 at 10:30",
    "between 2019-2024, about 3.14159 times",
    "订单 ORD-1000001 在 2026年11月23日 下单，共 89.5 美元",
    "pedido ORD-3141592 del 14/11/2026 por 75,00 €",
    "I want 2 x 3 pairs, size 42",
  ])("%s", (text) => {
    expect(redactText(text).findings).toEqual([]);
  });
});

describe("what a bot marks sensitive", () => {
  it("masks a sensitive slot's value wherever it appears and a sensitive entity's span", () => {
    const settings = botRedactionSettings({
      locales: ["en"],
      slots: {
        account: { type: "text", entity: ["account_number"], sensitive: true },
        order_id: { type: "text", entity: ["order_id"] },
      },
      redaction: { entities: ["member_id"] },
    });
    const text = "account AC-77812 and member M-5512, order ORD-4820193";
    const policy = turnRedactionPolicy(settings, {
      slots: { account: "AC-77812", order_id: "ORD-4820193" },
      entities: [
        entity(text, "member_id", "M-5512"),
        entity(text, "order_id", "ORD-4820193"),
      ],
    });
    expect(maskText(text, policy)).toBe("account [redacted] and member [redacted], order ORD-4820193");
    expect(maskText("AC-77812 again: ac-77812", policy)).toBe("[redacted] again: [redacted]");
  });

  it("replaces a sensitive slot whole in the stored state, keeping a card's last four", () => {
    const slots = { card: "4111 1111 1111 1111", pin_hint: "my dog", note: "mail me at jane@example.com", amount: 12, ok: true, nothing: null };
    expect(redactSlots(slots, { sensitiveSlots: new Set(["card", "pin_hint"]) })).toEqual({
      card: "[card ****1111]",
      pin_hint: "[redacted]",
      note: "mail me at [email]",
      amount: 12,
      ok: true,
      nothing: null,
    });
  });

  it("masks the strings of a JSON value and the values under sensitive keys", () => {
    const body = { order: "ORD-4820193", contact: { email: "jane@example.com", phone: "+44 20 7946 0958" }, lines: ["card 4242 4242 4242 4242"], secret: { a: 1 } };
    expect(redactJson(body, { sensitiveKeys: new Set(["secret"]) })).toEqual({
      order: "ORD-4820193",
      contact: { email: "[email]", phone: "[phone]" },
      lines: ["card [card ****4242]"],
      secret: "[redacted]",
    });
  });
});

describe("masking", () => {
  it("masks every kind in one text, and masking again changes nothing", () => {
    const text = "card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, mail a.b@example.org, tel +34 612 345 678, DNI 12345678Z";
    const once = maskText(text);
    expect(once).toBe("card [card ****1111], IBAN [iban ****5432], mail [email], tel [phone], DNI [national id]");
    expect(maskText(once)).toBe(once);
  });

  it("reports offsets into the original text, never the values", () => {
    const { findings } = redactText("１３８１２３４５６７８ and x@example.com", { locales: ["zh"] });
    expect(findings).toEqual([
      { kind: "phone", start: 0, end: 11 },
      { kind: "email", start: 16, end: 29 },
    ]);
    expect(JSON.stringify(findings)).not.toContain("example");
  });

  it("stays fast on hostile input (64 KiB of near-misses)", () => {
    const hostile = [
      "a".repeat(65_536),
      "1 ".repeat(32_768),
      "+(".repeat(32_768),
      "a@".repeat(32_768),
      "GB82 ".repeat(13_107),
      "(1".repeat(32_768),
      "1-".repeat(32_768),
      "AB 12 34 56 ".repeat(5_461),
    ];
    const started = performance.now();
    for (const text of hostile) redactText(text);
    // Linear scanners finish these in tens of milliseconds; a backtracking blow-up would take minutes.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
