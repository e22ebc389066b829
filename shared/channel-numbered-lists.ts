/**
 * When a reply's quick replies reach a platform as a numbered list in the text ("1. Track my order")
 * rather than as buttons: always on WeChat (no buttons in customer-service messages), past each
 * platform's button limits elsewhere. The conversation object reads it to resolve a user's "2" into
 * the second option (shared/channel-conversation.ts `resolveNumberedReply`) only where the user saw
 * a numbered list: on a platform that showed buttons, "2" is what the user typed.
 *
 * The limits are the outbound formatters' (workers/gateway/src/channels/<platform>/outbound.ts);
 * workers/gateway/test/channels/numbered-lists.test.ts checks the two agree.
 */
import type { ChannelName } from "./schemas/channels.ts";

/** Up to this many options are buttons (Teams hero card) or quick replies (LINE); more are a numbered list. */
export const BUTTON_LIMITS = { teams: 6, line: 13 } as const;
/** WhatsApp: up to 3 reply buttons of ≤ 20 characters, else up to 10 list rows of ≤ 24, with a body of ≤ 1,024 characters. */
export const WHATSAPP_INTERACTIVE_LIMITS = { body: 1024, buttons: 3, buttonTitle: 20, rows: 10, rowTitle: 24 } as const;

const length = (text: string): number => [...text].length;

export function numberedListShown(channel: ChannelName, reply: { text: string; quickReplies?: readonly string[] | undefined }): boolean {
  const options = reply.quickReplies ?? [];
  if (options.length === 0) return false;
  switch (channel) {
    case "slack":
    case "telegram":
      return false;
    case "wechat":
      return true;
    case "teams":
      return options.length > BUTTON_LIMITS.teams;
    case "line":
      return options.length > BUTTON_LIMITS.line;
    case "whatsapp": {
      const limits = WHATSAPP_INTERACTIVE_LIMITS;
      if (length(reply.text) > limits.body) return true;
      const longest = Math.max(...options.map(length));
      const buttons = options.length <= limits.buttons && longest <= limits.buttonTitle;
      const list = options.length <= limits.rows && longest <= limits.rowTitle;
      return !buttons && !list;
    }
  }
}
