// The messaging channels end to end: the real Workers on workerd (devkit/local-stack.ts), the
// ecommerce bot listening on every channel, each platform's API the demo services' imitation
// (demo/channel-platforms.ts). Helpers deliver messages as the platforms do (devkit/channels.ts),
// read what each platform was sent, per chat, and read the chat's conversation as an operator.
import { localChannelVars, newChannelSecrets, signedInbound, type InboundMessage, type SigningOptions } from "../../devkit/channels.ts";
import { OPERATOR_API_KEY, TOKEN_SECRET, startStratus, type Reply, type Stratus } from "../../devkit/local-stack.ts";
import { readTranscript } from "../../devkit/transcript.ts";
import { startDemoServices, type DemoServices } from "../../demo/services.ts";
import type { RecordedSend } from "../../demo/channel-platforms.ts";
import { channelConversationId } from "../../shared/channel-conversation.ts";
import type { ChannelName } from "../../shared/schemas/channels.ts";

export const BOT = "ecommerce";

export interface ChannelStack {
  stratus: Stratus;
  demo: DemoServices;
  secrets: Record<string, string>;
  /** Delivers a user message as the platform does (signed, unless `signing` says otherwise). */
  deliver(channel: ChannelName, message: InboundMessage, signing?: Partial<SigningOptions>): Promise<Response>;
  /** The chat's conversation id (as the gateway derives it). */
  conversationOf(channel: ChannelName, chatId: string): Promise<string>;
  /** The conversation's transcript read with the operator key ([] when it does not exist). */
  transcript(conversationId: string): Promise<Reply[]>;
  /** What the platform was sent for this chat, oldest first, as the text a user reads. */
  sentTo(channel: ChannelName, chatId: string): SentMessage[];
  close(): Promise<void>;
}

export interface SentMessage {
  text: string;
  /** The option labels the platform shows as buttons (or quick replies), if any. */
  buttons: string[];
  at: number;
}

export async function startChannelStack(gatewayVars: Record<string, string> = {}): Promise<ChannelStack> {
  const demo = await startDemoServices({ port: 0 });
  const secrets = newChannelSecrets();
  const stratus = await startStratus({
    gatewayVars: { ...localChannelVars(BOT, demo.url), ...gatewayVars },
    gatewaySecrets: secrets,
    dialogueVars: { ORDER_API_URL: demo.url, MARKET_API_URL: demo.url, HEALTH_API_URL: demo.url },
  });
  const operator = { Authorization: `Bearer ${OPERATOR_API_KEY}` };
  return {
    stratus,
    demo,
    secrets,
    async deliver(channel, message, signing = {}) {
      const request = await signedInbound(channel, BOT, message, { secrets, demoUrl: demo.url, teamsToken: (claims) => demo.channels.signTeamsToken(claims), ...signing });
      return stratus.fetch(request.path, request.init);
    },
    conversationOf: (channel, chatId) => channelConversationId(TOKEN_SECRET, { channel, bot: BOT, chatId }),
    async transcript(conversationId) {
      const summary = await stratus.fetch(`/v1/conversations/${conversationId}`, { headers: operator });
      if (summary.status === 404) return [];
      return readTranscript(stratus, { id: conversationId, token: OPERATOR_API_KEY });
    },
    sentTo: (channel, chatId) => demo.channels.sent(channel).filter((send) => chatOf(send) === chatId).map(readSend),
    close: async () => {
      await stratus?.close();
      await demo?.close();
    },
  };
}

type Body = Record<string, unknown> & {
  text?: string | { content?: string; body?: string };
  interactive?: { body?: { text?: string }; action?: { buttons?: { reply: { title: string } }[]; sections?: { rows: { title: string }[] }[] } };
  messages?: { text?: string; quickReply?: { items: { action: { label: string } }[] } }[];
  blocks?: { type: string; elements?: { text: { text: string } }[] }[];
  reply_markup?: { inline_keyboard: { text: string }[][] };
  attachments?: { content: { buttons: { title: string }[] } }[];
};

/** The chat a recorded send went to, by each platform's own field. */
function chatOf(send: RecordedSend): string | undefined {
  const body = send.body as Body;
  switch (send.channel) {
    case "slack":
      return body.channel as string;
    case "teams":
      return decodeURIComponent(/\/conversations\/([^/]+)\/activities/.exec(send.path)?.[1] ?? "");
    case "telegram":
      return String(body.chat_id);
    case "whatsapp":
    case "line":
      return body.to as string;
    case "wechat":
      return body.touser as string;
  }
}

/** A platform's plain `text` field (Slack, Teams, Telegram): a string. */
const plainText = (body: Body): string => (typeof body.text === "string" ? body.text : "");

const unescapeSlack = (text: string): string => text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");

/** The text and buttons a user sees of a recorded send. */
function readSend(send: RecordedSend): SentMessage {
  const body = send.body as Body;
  const at = Date.parse(send.at);
  switch (send.channel) {
    case "slack":
      return {
        text: unescapeSlack(plainText(body)),
        buttons: (body.blocks ?? []).filter((block) => block.type === "actions").flatMap((block) => (block.elements ?? []).map((element) => element.text.text)),
        at,
      };
    case "teams":
      return { text: plainText(body), buttons: (body.attachments ?? []).flatMap((attachment) => attachment.content.buttons.map((button) => button.title)), at };
    case "telegram":
      return { text: plainText(body), buttons: (body.reply_markup?.inline_keyboard ?? []).flat().map((button) => button.text), at };
    case "whatsapp": {
      if (body.interactive !== undefined) {
        const { action } = body.interactive;
        const buttons = [...(action?.buttons ?? []).map((button) => button.reply.title), ...(action?.sections ?? []).flatMap((section) => section.rows.map((row) => row.title))];
        return { text: body.interactive.body?.text ?? "", buttons, at };
      }
      return { text: (body.text as { body?: string } | undefined)?.body ?? "", buttons: [], at };
    }
    case "line": {
      const message = body.messages?.[0];
      return { text: message?.text ?? "", buttons: (message?.quickReply?.items ?? []).map((item) => item.action.label), at };
    }
    case "wechat":
      return { text: (body.text as { content?: string } | undefined)?.content ?? "", buttons: [], at };
  }
}

/** Polls until `check` returns a value (not undefined), or fails with `describe()` after the timeout. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, describe: () => Promise<string> | string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
