// The conversation object resolves a typed "2" into the second option only where the user saw a
// numbered list (shared/channel-numbered-lists.ts); the formatters decide what the user sees. This
// test renders replies of every size with the formatters and checks the two answers agree.
import { describe, expect, it } from "vitest";
import { numberedListShown } from "../../../../shared/channel-numbered-lists.ts";
import type { ChannelAddress, ChannelName } from "../../../../shared/schemas/channels.ts";
import { lineMessage } from "../../src/channels/line/outbound.ts";
import { slackMessage } from "../../src/channels/slack/outbound.ts";
import { teamsActivity } from "../../src/channels/teams/outbound.ts";
import { telegramMessage } from "../../src/channels/telegram/outbound.ts";
import { weChatMessage } from "../../src/channels/wechat/outbound.ts";
import { whatsappMessage } from "../../src/channels/whatsapp/outbound.ts";

const ADDRESSES: { [C in ChannelName]: Extract<ChannelAddress, { channel: C }> } = {
  slack: { channel: "slack", channelId: "D1" },
  teams: { channel: "teams", serviceUrl: "https://smba.example/teams", conversationId: "c1", botId: "28:bot" },
  telegram: { channel: "telegram", chatId: "42" },
  whatsapp: { channel: "whatsapp", phoneNumberId: "1065", to: "165" },
  line: { channel: "line", to: "U1" },
  wechat: { channel: "wechat", openId: "o1" },
};

/** The platform's message as JSON text: a numbered list shows as "1. <first option>" in it. */
function rendered(channel: ChannelName, reply: { seq: number; text: string; quickReplies: string[] }): string {
  switch (channel) {
    case "slack":
      return JSON.stringify(slackMessage(ADDRESSES.slack, reply));
    case "teams":
      return JSON.stringify(teamsActivity(ADDRESSES.teams, reply));
    case "telegram":
      return JSON.stringify(telegramMessage(ADDRESSES.telegram, reply));
    case "whatsapp":
      return JSON.stringify(whatsappMessage(ADDRESSES.whatsapp, reply));
    case "line":
      return JSON.stringify(lineMessage(ADDRESSES.line, reply));
    case "wechat":
      return JSON.stringify(weChatMessage(ADDRESSES.wechat, reply));
  }
}

const SIZES = [1, 2, 3, 4, 6, 7, 10, 11, 13, 14, 20];
const LABELS = { short: (i: number) => `Opt ${i + 1}`, long: (i: number) => `A rather long option number ${i + 1}` };

describe("numbered lists", () => {
  for (const channel of Object.keys(ADDRESSES) as ChannelName[]) {
    it(`${channel}: the shared rule says "numbered" exactly when the formatter writes one`, () => {
      let numbered = 0;
      for (const size of SIZES) {
        for (const [kind, label] of Object.entries(LABELS)) {
          for (const text of ["Pick one", "x".repeat(1100)]) {
            const quickReplies = Array.from({ length: size }, (_, i) => label(i));
            const reply = { seq: 2, text, quickReplies };
            const shown = rendered(channel, reply).includes(`1. ${quickReplies[0]}`);
            expect(numberedListShown(channel, reply), `${channel}, ${size} ${kind} options, text of ${text.length}`).toBe(shown);
            if (shown) numbered++;
          }
        }
      }
      // Slack and Telegram always have buttons; every other platform falls back to a list somewhere.
      expect(numbered > 0).toBe(channel !== "slack" && channel !== "telegram");
    });
  }
});
