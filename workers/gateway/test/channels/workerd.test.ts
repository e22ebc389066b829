// The channel modules on the Workers runtime itself (workerd through Miniflare, bundled by esbuild as
// wrangler bundles the gateway): Web Crypto HMAC and SHA-1, jose's RS256 verification, fast-xml-parser,
// and the sender's fetches to the platform imitations. The Node tests beside this one cover the cases;
// this one proves the same code runs where it will be deployed.
import { build } from "esbuild";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import { SECRETS, channelEnv, lineSignature, slackHeaders, weChatQuery, whatsappSignature } from "./fixtures.ts";

let demo: DemoServices;
let worker: Miniflare;
const entry = fileURLToPath(new URL("./workerd-entry.ts", import.meta.url));

beforeAll(async () => {
  demo = await startDemoServices({ port: 0 });
  const bundle = await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "browser", conditions: ["workerd", "worker", "browser"], write: false, target: "es2022" });
  worker = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: bundle.outputFiles[0]?.text ?? "",
      compatibilityDate: "2026-11-01",
      bindings: channelEnv(demo.url),
    }),
  );
  await worker.ready;
}, 60_000);
afterAll(async () => {
  await worker?.dispose();
  await demo?.close();
});

const post = async (path: string, body: string, headers: Record<string, string>) => {
  const response = await worker.dispatchFetch(`http://gateway.local${path}`, { method: "POST", body, headers });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

describe("the channel modules on workerd", () => {
  it("verifies Slack, WhatsApp and LINE HMAC signatures with Web Crypto, and refuses a wrong one with 401", async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const slackBody = JSON.stringify({ type: "event_callback", event_id: "Ev1", team_id: "T1", event: { type: "message", channel: "D1", channel_type: "im", user: "U1", text: "hi", ts: "1.1" } });
    expect((await post("/v1/channels/slack/shop", slackBody, slackHeaders(slackBody, timestamp))).json).toMatchObject({ kind: "events", events: [{ messageId: "Ev1", text: "hi" }] });
    expect((await post("/v1/channels/slack/shop", slackBody, slackHeaders(slackBody, timestamp, "wrong"))).status).toBe(401);

    const whatsappBody = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ changes: [{ field: "messages", value: { metadata: { phone_number_id: "1065" }, messages: [{ from: "165", id: "wamid.1", type: "text", text: { body: "hola" } }] } }] }],
    });
    expect((await post("/v1/channels/whatsapp/shop", whatsappBody, { "X-Hub-Signature-256": whatsappSignature(whatsappBody) })).json).toMatchObject({ kind: "events" });
    expect((await post("/v1/channels/whatsapp/shop", whatsappBody, { "X-Hub-Signature-256": whatsappSignature(whatsappBody, "wrong") })).status).toBe(401);

    const lineBody = JSON.stringify({ events: [{ type: "message", webhookEventId: "01F", source: { type: "user", userId: "U1" }, message: { type: "text", id: "1", text: "こんにちは" } }] });
    expect((await post("/v1/channels/line/shop", lineBody, { "X-Line-Signature": lineSignature(lineBody) })).json).toMatchObject({ kind: "events", events: [{ text: "こんにちは" }] });
  });

  it("verifies a Bot Framework token with jose against the imitation's OpenID metadata and keys", async () => {
    const serviceUrl = `${demo.url}/teams`;
    const token = await demo.channels.signTeamsToken({ appId: SECRETS.TEAMS_APP_ID, serviceUrl });
    const activity = JSON.stringify({ type: "message", id: "a1", serviceUrl, channelId: "msteams", from: { id: "29:1" }, recipient: { id: "28:bot" }, conversation: { id: "c1" }, text: "hello" });
    expect((await post("/v1/channels/teams/shop", activity, { Authorization: `Bearer ${token}` })).json).toMatchObject({ kind: "events", events: [{ chatId: "c1" }] });
    const other = await demo.channels.signTeamsToken({ appId: "another-app", serviceUrl });
    expect((await post("/v1/channels/teams/shop", activity, { Authorization: `Bearer ${other}` })).status).toBe(401);
  });

  it("checks WeChat's SHA-1 signature and reads its XML", async () => {
    const query = weChatQuery("1348831860", "42");
    const xml = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>9223372036854775807</MsgId></xml>";
    expect((await post(`/v1/channels/wechat/shop?${query}`, xml, { "Content-Type": "text/xml" })).json).toMatchObject({ kind: "events", events: [{ text: "你好", messageId: "9223372036854775807" }] });
  });

  it("sends a reply to every platform's imitation from workerd", async () => {
    const addresses = [
      { channel: "slack", channelId: "D1" },
      { channel: "teams", serviceUrl: `${demo.url}/teams`, conversationId: "c1", botId: "28:bot" },
      { channel: "telegram", chatId: "42" },
      { channel: "whatsapp", phoneNumberId: "1065", to: "165" },
      { channel: "line", to: "U1" },
      { channel: "wechat", openId: "o1" },
    ];
    for (const [index, address] of addresses.entries()) {
      const conversationId = `${index}`.padStart(32, "a");
      const message = { v: 1, kind: "channel-send", conversationId, bot: "shop", address, after: 0, items: [{ seq: 2, text: "Your order has shipped.", quickReplies: ["Track it"] }] };
      expect((await post("/send", JSON.stringify(message), { "Content-Type": "application/json" })).json, address.channel).toEqual({ action: "ack", sent: 1, skipped: 0, refused: 0 });
    }
    for (const channel of ["slack", "teams", "telegram", "whatsapp", "line", "wechat"] as const) expect(demo.channels.sent(channel), channel).toHaveLength(1);
  });
});
