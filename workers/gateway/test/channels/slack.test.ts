// Slack Events API and interactivity webhooks: signed exactly as Slack documents
// (v0 HMAC-SHA256 over `v0:{timestamp}:{raw body}`), five-minute replay window, url_verification,
// retries, and which events make a turn.
import { describe, expect, it } from "vitest";
import { ChannelVerificationError } from "../../src/channels/errors.ts";
import { receiveChannelRequest } from "../../src/channels/inbound.ts";
import { BOT, NOW, context, request, slackHeaders } from "./fixtures.ts";

const receive = (body: string, headers: Record<string, string> = slackHeaders(body), now = NOW) =>
  receiveChannelRequest(context("slack", request({ body, headers }), { now }));

const callback = (event: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    token: "legacy-verification-token",
    team_id: "T0001",
    api_app_id: "A0001",
    type: "event_callback",
    event_id: "Ev0PV52K25",
    event_time: 1_700_000_000,
    authorizations: [{ user_id: "UBOT", is_bot: true }],
    event,
    ...extra,
  });

const dm = { type: "message", channel: "D024BE91L", channel_type: "im", user: "U2147483697", text: "where is my order ORD-4820193?", ts: "1355517523.000005" };

describe("Slack webhook verification", () => {
  it("answers url_verification with its challenge once the request is signed", async () => {
    const body = JSON.stringify({ token: "t", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" });
    const outcome = await receive(body);
    expect(outcome).toEqual({ kind: "handshake", answer: { status: 200, contentType: "text/plain; charset=utf-8", body: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" } });
  });

  it("turns a signed direct message into one event keyed by event_id", async () => {
    const outcome = await receive(callback(dm));
    expect(outcome.kind).toBe("events");
    if (outcome.kind !== "events") return;
    expect(outcome.events).toEqual([
      {
        channel: "slack",
        bot: BOT,
        chatId: "D024BE91L",
        userId: "U2147483697",
        messageId: "Ev0PV52K25",
        text: "where is my order ORD-4820193?",
        truncated: false,
        receivedAt: new Date(NOW).toISOString(),
        redelivery: false,
        address: { channel: "slack", channelId: "D024BE91L", teamId: "T0001" },
      },
    ]);
    expect(outcome.answer).toEqual({ status: 200, body: "" });
  });

  it("refuses a wrong signature, another app's secret, a changed body and missing headers with 401", async () => {
    const body = callback(dm);
    const headers = slackHeaders(body);
    const attempts: [string, Record<string, string>][] = [
      [body, { ...headers, "X-Slack-Signature": headers["X-Slack-Signature"]!.replace(/.$/, (c) => (c === "0" ? "1" : "0")) }],
      [body, slackHeaders(body, Math.floor(NOW / 1000), "another-apps-signing-secret")],
      [body.replace("ORD-4820193", "ORD-4820194"), headers],
      [body, { "Content-Type": "application/json", "X-Slack-Request-Timestamp": headers["X-Slack-Request-Timestamp"]! }],
      [body, { "Content-Type": "application/json", "X-Slack-Signature": headers["X-Slack-Signature"]! }],
      [body, { ...headers, "X-Slack-Signature": "v1=" + headers["X-Slack-Signature"]!.slice(3) }],
    ];
    for (const [sent, sentHeaders] of attempts) {
      const refused = receive(sent, sentHeaders);
      await expect(refused).rejects.toBeInstanceOf(ChannelVerificationError);
      await expect(refused).rejects.toMatchObject({ code: "unauthorized", status: 401 });
    }
  });

  it("refuses a request signed more than five minutes ago or ahead, and accepts one just inside the window", async () => {
    const body = callback(dm);
    const now = Math.floor(NOW / 1000);
    await expect(receive(body, slackHeaders(body, now - 301))).rejects.toThrow(/five minutes/);
    await expect(receive(body, slackHeaders(body, now + 301))).rejects.toThrow(/five minutes/);
    await expect(receive(body, slackHeaders(body, now - 299))).resolves.toMatchObject({ kind: "events" });
  });

  it("marks Slack's retry of an event as a redelivery with the same event_id", async () => {
    const body = callback(dm);
    const first = await receive(body);
    const retry = await receive(body, { ...slackHeaders(body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout" });
    expect(first.kind === "events" && first.events[0]?.messageId).toBe("Ev0PV52K25");
    expect(retry.kind === "events" && retry.events[0]).toMatchObject({ messageId: "Ev0PV52K25", redelivery: true });
  });

  it("answers a channel mention without the mention, in the thread it came from", async () => {
    const mention = { type: "app_mention", channel: "C0LAN2Q65", user: "U061F7AUR", text: "<@UBOT> track my order", ts: "1515449522.000016", thread_ts: "1515449438.000011" };
    const outcome = await receive(callback(mention));
    expect(outcome.kind === "events" && outcome.events[0]).toMatchObject({
      chatId: "C0LAN2Q65",
      text: "track my order",
      address: { channel: "slack", channelId: "C0LAN2Q65", threadTs: "1515449438.000011" },
    });
  });

  it("ignores the bot's own messages, bot messages, edits, deletions, joins and channel chatter", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...dm, user: "UBOT" }, "bot_message"],
      [{ ...dm, bot_id: "B0001" }, "bot_message"],
      [{ ...dm, subtype: "bot_message" }, "bot_message"],
      [{ type: "message", subtype: "message_changed", channel: "D024BE91L", channel_type: "im", ts: "1.2", message: { text: "edited" } }, "edited"],
      [{ type: "message", subtype: "message_deleted", channel: "D024BE91L", channel_type: "im", ts: "1.2" }, "edited"],
      [{ ...dm, subtype: "channel_join" }, "unsupported_type"],
      [{ ...dm, channel: "C0LAN2Q65", channel_type: "channel" }, "not_addressed"],
      [{ ...dm, text: "   " }, "empty_text"],
      [{ type: "reaction_added", user: "U1", reaction: "thumbsup" }, "not_a_message"],
    ];
    for (const [event, reason] of cases) {
      await expect(receive(callback(event)), reason).resolves.toEqual({ kind: "ignore", reasons: [reason], answer: { status: 200, body: "" } });
    }
  });

  it("turns a press on one of the bot's buttons (block_actions) into the option's text", async () => {
    const payload = {
      type: "block_actions",
      trigger_id: "13345224609.738474920.8088930838d88f008e0",
      user: { id: "U0CA5", username: "amy" },
      team: { id: "T0001" },
      channel: { id: "D024BE91L", name: "directmessage" },
      container: { type: "message", channel_id: "D024BE91L", message_ts: "1548261231.000200" },
      actions: [{ type: "button", action_id: "stratus_qr_0", block_id: "b1", value: "Track my order", action_ts: "1548426417.840180" }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const headers = { ...slackHeaders(body), "Content-Type": "application/x-www-form-urlencoded" };
    const outcome = await receive(body, headers);
    expect(outcome.kind === "events" && outcome.events[0]).toMatchObject({
      chatId: "D024BE91L",
      userId: "U0CA5",
      text: "Track my order",
      messageId: "action:13345224609.738474920.8088930838d88f008e0",
    });
  });

  it("says 400 for a signed body that is not JSON, and 404 for a bot that does not listen on Slack", async () => {
    await expect(receive("{not json")).rejects.toMatchObject({ code: "invalid_request", status: 400 });
    const body = callback(dm);
    await expect(receiveChannelRequest(context("slack", request({ body, headers: slackHeaders(body) }), { bot: "finance" }))).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
