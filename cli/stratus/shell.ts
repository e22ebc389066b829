// `npx stratus shell <bot>`: chat with a bot in the terminal, like `rasa shell`, against a running
// stack (`npm run dev`'s gateway, or any deployment's) or one it starts itself (--start). Each turn
// shows the bot's replies with the responses they came from, then what the NLU understood (intent,
// confidence, the runner-up, the locale, entities, from the `?wait` reply's `nlu`) and the dialogue
// state after the turn (slots, the form being filled, from GET /v1/conversations/:id).
import { spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { styleText } from "node:util";
import { stratusClient, StratusRequestError, type StratusClient } from "../../devkit/stratus-client.ts";
import type { Conversation, ConversationSummary, Message } from "../../shared/schemas/conversation.ts";
import { LocaleSchema, type Entity, type NluResult } from "../../shared/schemas/nlu.ts";
import { CommandError, EXIT, PROJECT_ROOT, UsageError, integerOption, parseCommandLine, type Command } from "./command.ts";
import { LOCAL_URL } from "./operator-api.ts";

const usage = `Usage: npx stratus shell <bot> [--url URL | --start] [--locale L] [--timezone TZ] [--wait S]

Chats with a bot in the terminal. Type a message and press Enter; each turn shows the bot's replies
(with the response each came from), what the NLU understood — intent, confidence, the runner-up,
locale, entities — and the dialogue state after the turn: slots and the form being filled.
Commands: /new starts a new conversation, /state prints the whole dialogue state, /quit (or Ctrl-D) ends.
Input can be piped: \`printf 'hi\\nbye\\n' | npx stratus shell demo-bot\`.

  --url URL        the gateway to talk to (default: $STRATUS_URL, else ${LOCAL_URL}: \`npm run dev\`)
  --start          start a local stack for this session instead (builds the bots and trains their
                   NLU first, then runs the Workers on workerd with the demo backends; stopped on exit)
  --locale L       the conversation's locale (default: detected per message)
  --timezone TZ    the conversation's time zone, for dates (default UTC)
  --wait S         seconds to wait for the bot's replies to a message (default 20)
  -h, --help       this help
`;

const COMMANDS_HELP = "/new: a new conversation · /state: the whole dialogue state · /quit: end (or Ctrl-D)";

/** Styles for a terminal; plain text when the output is piped (or NO_COLOR is set). */
const style = (format: Parameters<typeof styleText>[0], text: string) => styleText(format, text, { stream: process.stdout });

function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null && "amount" in value && "currency" in value) return `${String(value.amount)} ${String(value.currency)}`;
  return String(value);
}

function formatEntity(entity: Entity): string {
  const value = formatValue(entity.value);
  const text = JSON.stringify(entity.text) !== value && entity.text !== value ? ` from "${entity.text}"` : "";
  return `${entity.entity}=${value}${text} (${entity.source})`;
}

/** The NLU line of a turn: intent, confidence, the runner-up, locale; then the entities line. */
export function formatNlu(nlu: NluResult | undefined): string[] {
  if (nlu === undefined) return ["intent: (no NLU result on the replies)"];
  const runnerUp = nlu.intents.find((candidate) => candidate.name !== nlu.intent.name);
  const locale = `locale ${nlu.locale}${nlu.localeEvidence ? ` (${nlu.localeEvidence})` : ""}`;
  return [
    `intent: ${nlu.intent.name}  confidence ${nlu.intent.confidence.toFixed(2)}${runnerUp ? `  (next: ${runnerUp.name} ${runnerUp.confidence.toFixed(2)})` : ""}  ${locale}`,
    `entities: ${nlu.entities.length === 0 ? "none" : nlu.entities.map(formatEntity).join(", ")}`,
  ];
}

/** The state line of a turn: every slot that holds a value, the form and the slot it asks for, a handoff. */
export function formatState(summary: ConversationSummary): string {
  const filled = Object.entries(summary.state.slots).filter(([, value]) => value !== null);
  const slots = filled.length === 0 ? "none" : filled.map(([name, value]) => `${name}=${formatValue(value)}`).join(", ");
  const form = summary.state.activeForm;
  const formText = form ? `  form: ${form.name}${form.requestedSlot ? `, asking for ${form.requestedSlot}` : ""}` : "";
  return `slots: ${slots}${formText}${summary.handedOff ? "  (handed off to a person: the bot stays silent)" : ""}`;
}

function printReplies(replies: Message[]): void {
  for (const reply of replies) {
    const from = reply.role === "agent" ? "agent" : "bot";
    process.stdout.write(`${style("bold", `${from} ›`)} ${reply.text}${reply.response ? style("dim", `  [${reply.response}]`) : ""}\n`);
    if (reply.quickReplies?.length) process.stdout.write(`      ${reply.quickReplies.map((quick) => style("cyan", `[${quick}]`)).join(" ")}\n`);
  }
}

interface Session {
  client: StratusClient;
  bot: string;
  create: () => Promise<Conversation>;
  conversation: Conversation;
  waitSeconds: number;
}

async function turn(session: Session, text: string): Promise<void> {
  const { client, conversation } = session;
  const { replies } = await client.say(conversation, text, session.waitSeconds);
  const summary = await client.summary(conversation);
  if (replies.length === 0) {
    process.stdout.write(style("dim", summary.handedOff ? "(no reply: a person has this conversation)\n" : `(no reply within ${session.waitSeconds} s)\n`));
  }
  printReplies(replies);
  const nlu = replies.find((reply) => reply.nlu !== undefined)?.nlu;
  const details = [...(replies.length > 0 ? formatNlu(nlu) : []), formatState(summary)];
  process.stdout.write(details.map((line) => style("dim", `   ${line}`)).join("\n") + "\n");
}

/** Runs the chat until stdin ends or /quit; the exit code. */
async function chat(session: Session): Promise<number> {
  const interactive = process.stdin.isTTY;
  const lines = createInterface({ input: process.stdin, ...(interactive ? { output: process.stdout, prompt: `${style("bold", "you ›")} ` } : {}), terminal: interactive });
  // Ctrl-C ends the session like Ctrl-D: the started stack is stopped on the way out.
  lines.on("SIGINT", () => lines.close());
  if (interactive) lines.prompt();
  for await (const line of lines) {
    const text = line.trim();
    if (!interactive && text !== "") process.stdout.write(`${style("bold", "you ›")} ${text}\n`);
    if (text === "/quit" || text === "/exit") break;
    try {
      if (text === "") {
        // nothing
      } else if (text === "/help") process.stdout.write(`${COMMANDS_HELP}\n`);
      else if (text === "/new") {
        session.conversation = await session.create();
        process.stdout.write(style("dim", `(new conversation ${session.conversation.id})\n`));
      } else if (text === "/state") {
        process.stdout.write(`${JSON.stringify((await session.client.summary(session.conversation)).state, null, 2)}\n`);
      } else if (text.startsWith("/") && !text.startsWith("//")) {
        process.stdout.write(`unknown command ${text}: ${COMMANDS_HELP} (start a message with // to send a slash)\n`);
      } else await turn(session, text.startsWith("//") ? text.slice(1) : text);
    } catch (error) {
      // A refused message (too long, rate-limited) is reported and the chat goes on; a stack that went away ends it.
      if (!(error instanceof StratusRequestError)) {
        lines.close();
        throw new CommandError(`the stack at ${session.client.url} stopped answering: ${(error as Error).message}`);
      }
      process.stderr.write(`stratus shell: ${error.message}\n`);
    }
    if (interactive) lines.prompt();
  }
  lines.close();
  return EXIT.ok;
}

/** Builds the bots and their NLU models, so that a bot made or changed since the last build is served. */
function buildBots(): void {
  for (const script of ["build:bots", "train"]) {
    // The build's output goes to stderr: stdout is the conversation.
    const run = spawnSync("npm", ["run", "--silent", script], { cwd: PROJECT_ROOT, stdio: ["ignore", 2, 2] });
    if (run.status !== 0) throw new CommandError(`npm run ${script} failed: the bots must validate (npm run validate) before a stack can serve them`);
  }
}

export const shellCommand: Command = {
  name: "shell",
  summary: "chat with a bot",
  usage,
  async run(args) {
    const parsed = parseCommandLine(args, {
      url: { type: "string" },
      start: { type: "boolean" },
      locale: { type: "string" },
      timezone: { type: "string" },
      wait: { type: "string", default: "20" },
    });
    if (parsed === undefined) {
      process.stdout.write(usage);
      return EXIT.ok;
    }
    const { values, positionals } = parsed;
    const [bot, ...extra] = positionals;
    if (bot === undefined) throw new UsageError("name the bot to chat with");
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (values.start === true && values.url !== undefined) throw new UsageError("give --url or --start, not both");
    if (values.locale !== undefined && !LocaleSchema.safeParse(values.locale).success) throw new UsageError(`unknown locale "${values.locale}"`);
    const waitSeconds = integerOption("wait", values.wait, 1, 30);

    let stop: (() => Promise<void>) | undefined;
    let url = values.url ?? process.env.STRATUS_URL ?? LOCAL_URL;
    if (values.start === true) {
      buildBots();
      process.stderr.write("starting a local stack (the Workers on workerd, the demo backends)…\n");
      process.env.WRANGLER_LOG ??= "error";
      const { startConversationTestEnvironment } = await import("../../devkit/bots/conversation-runner.ts");
      const environment = await startConversationTestEnvironment();
      url = environment.stratus.url;
      stop = () => environment.close();
      process.stderr.write(`local stack on ${url}\n`);
    }
    try {
      const client = stratusClient(url);
      let catalog;
      try {
        catalog = await client.bots();
      } catch (error) {
        if (error instanceof StratusRequestError) throw new CommandError(`${url} is not a Stratus gateway: GET /v1/bots answered ${error.message}`);
        throw new CommandError(`nothing answers at ${url}: start the local stack with \`npm run dev\` (in another terminal), or use --start`);
      }
      const entry = catalog.bots.find((candidate) => candidate.id === bot);
      if (entry === undefined) {
        throw new CommandError(
          `${url} does not serve "${bot}" (it serves ${catalog.bots.map((candidate) => candidate.id).join(", ")}). ` +
            `A new bot is served after a build: restart \`npm run dev\`, or use --start`,
        );
      }
      const create = () =>
        client.createConversation({ bot, ...(values.locale !== undefined ? { locale: values.locale } : {}), ...(values.timezone !== undefined ? { timezone: values.timezone } : {}) });
      let conversation: Conversation;
      try {
        conversation = await create();
      } catch (error) {
        throw new CommandError(`could not start a conversation: ${(error as Error).message}`);
      }
      process.stdout.write(
        `${style("bold", entry.name)} (${bot}: ${entry.locales.join(", ")}) at ${url}, conversation ${conversation.id}\n` +
          style("dim", `${COMMANDS_HELP}\n`),
      );
      return await chat({ client, bot, create, conversation, waitSeconds });
    } finally {
      await stop?.();
    }
  },
};
