// WeChat Official Account webhooks (plain-text mode): SHA-1 of the sorted token, timestamp and nonce,
// the GET with echostr, XML messages, MsgId kept exactly, "success" as the answer.
import { describe, expect, it } from "vitest";
import { ChannelVerificationError } from "../../src/channels/errors.ts";
import { receiveChannelRequest } from "../../src/channels/inbound.ts";
import { context, request, weChatQuery } from "./fixtures.ts";

const url = (query: URLSearchParams) => `https://stratus.example/v1/channels/wechat/shop?${query}`;

const xml = (fields: Record<string, string>, cdata = true) =>
  `<xml>${Object.entries(fields)
    .map(([name, value]) => (cdata && !/^\d+$/.test(value) ? `<${name}><![CDATA[${value}]]></${name}>` : `<${name}>${value}</${name}>`))
    .join("")}</xml>`;

const text = (content: string, msgId = "22771392339087264") =>
  xml({ ToUserName: "gh_123456789abc", FromUserName: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", CreateTime: "1348831860", MsgType: "text", Content: content, MsgId: msgId });

const post = (body: string, query: URLSearchParams = weChatQuery("1348831860", "1234567")) =>
  receiveChannelRequest(context("wechat", request({ url: url(query), body, headers: { "Content-Type": "text/xml" } })));

describe("WeChat webhook", () => {
  it("answers the set-up GET with echostr when the signature is the token's", async () => {
    const query = weChatQuery("1409659813", "1372623149");
    query.set("echostr", "4725470633489468823");
    await expect(receiveChannelRequest(context("wechat", request({ method: "GET", url: url(query) })))).resolves.toEqual({
      kind: "handshake",
      answer: { status: 200, contentType: "text/plain; charset=utf-8", body: "4725470633489468823" },
    });
    const wrong = weChatQuery("1409659813", "1372623149", "another-token");
    wrong.set("echostr", "1");
    await expect(receiveChannelRequest(context("wechat", request({ method: "GET", url: url(wrong) })))).rejects.toBeInstanceOf(ChannelVerificationError);
  });

  it("turns a text message into an event keyed by its 64-bit MsgId, digit for digit, and answers success", async () => {
    const outcome = await post(text("我的订单到哪了", "9223372036854775807"));
    expect(outcome.kind === "events" && outcome.events[0]).toMatchObject({
      channel: "wechat",
      chatId: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
      text: "我的订单到哪了",
      messageId: "9223372036854775807",
      address: { channel: "wechat", openId: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
    });
    expect(outcome.answer).toEqual({ status: 200, contentType: "text/plain; charset=utf-8", body: "success" });
  });

  it("refuses a missing or wrong signature, or a timestamp or nonce that is not the signed one, with 401", async () => {
    const signed = weChatQuery("1348831860", "1234567");
    const cases = [
      new URLSearchParams({ timestamp: "1348831860", nonce: "1234567" }),
      weChatQuery("1348831860", "1234567", "another-token"),
      new URLSearchParams({ ...Object.fromEntries(signed), nonce: "7654321" }),
      new URLSearchParams({ ...Object.fromEntries(signed), timestamp: "1348831861" }),
    ];
    for (const query of cases) await expect(post(text("hi"), query)).rejects.toBeInstanceOf(ChannelVerificationError);
  });

  it("refuses XML with a DOCTYPE and XML that is not well-formed with 400", async () => {
    await expect(post(`<!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>`)).rejects.toMatchObject({ code: "invalid_request" });
    await expect(post("<xml><ToUserName>x</xml>")).rejects.toMatchObject({ code: "invalid_request" });
  });

  it("acknowledges events, images and safe-mode messages without a turn", async () => {
    const event = xml({ ToUserName: "gh_1", FromUserName: "o1", CreateTime: "123456789", MsgType: "event", Event: "subscribe" });
    expect(await post(event)).toMatchObject({ kind: "ignore", reasons: ["not_a_message"], answer: { body: "success" } });
    const image = xml({ ToUserName: "gh_1", FromUserName: "o1", CreateTime: "1", MsgType: "image", PicUrl: "http://x", MediaId: "m", MsgId: "1" });
    expect(await post(image)).toMatchObject({ kind: "ignore", reasons: ["unsupported_type"] });
    const aes = weChatQuery("1348831860", "1234567");
    aes.set("encrypt_type", "aes");
    expect(await post("<xml><Encrypt><![CDATA[...]]></Encrypt></xml>", aes)).toMatchObject({ kind: "ignore", reasons: ["encrypted_mode"] });
  });
});
