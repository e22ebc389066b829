// `npm run bench:bot-versions [-- --repeat 3]`
// What publishing a bot version costs (docs/bot-versions.md), for each example bot, on the real
// Workers on workerd: the time of `PUT /v1/bots/{bot}` end to end (checking as validate does,
// training the NLU in the intent Worker, storing in the bot's registry), the training alone, and
// the bytes and rows one version takes in the registry's SQLite, part by part; then the first turn
// of a conversation on the new version (its isolates load it from the registry) beside the next
// one (cached). Writes bench/results/bot-versions.{json,md}. The machine is shared: wall times vary.
import { parseArgs } from "node:util";
import { join } from "node:path";
import { botDocumentText, readBotDocument } from "../devkit/bots/bot-document.ts";
import { compileBotDocument } from "../shared/bots/bot-document.ts";
import { OPERATOR_API_KEY, ROOT, startStratus } from "../devkit/local-stack.ts";
import { gzipText } from "../shared/bot-versions/compression.ts";
import { PART_CHUNK_BYTES as CHUNK_BYTES, PublishedBotSchema, type BotDocument } from "../shared/schemas/bot-versions.ts";
import { machineDescription, writeBenchResults } from "./results-files.ts";
import { percentile, round } from "./stats.ts";

const { values } = parseArgs({ options: { repeat: { type: "string", default: "3" } } });
const REPEAT = Number(values.repeat);
const BOTS = ["ecommerce", "finance", "health"] as const;
/** A first message each bot answers from its rules (no backend). */
const HELLO: Record<(typeof BOTS)[number], string> = { ecommerce: "hello", finance: "hi", health: "hello" };

interface BotFigures {
  bot: string;
  documentBytes: number;
  publishMs: { median: number; runs: number[] };
  trainingMs: { median: number; runs: number[] };
  storedBytes: number;
  parts: { document: number; dialogue: number; model: number };
  rowsWritten: number;
  firstTurnMs: number;
  cachedTurnMs: number;
}

/** The bot with one reply changed `n` times over: a new document, so a new version, each run. */
function changed(bot: string, n: number): BotDocument {
  const document = readBotDocument(join(ROOT, "bots", bot), ROOT).document;
  if (!document) throw new Error(`bots/${bot} does not pack`);
  const copy = structuredClone(document);
  copy.bot.description = `${typeof copy.bot.description === "string" ? copy.bot.description : ""} (bench run ${n})`;
  return copy;
}

const stratus = await startStratus();
const operator = { Authorization: `Bearer ${OPERATOR_API_KEY}` };
const figures: BotFigures[] = [];
try {
  for (const bot of BOTS) {
    const runs: { wall: number; training: number; stored: number; version: number }[] = [];
    let last: BotDocument | undefined;
    for (let n = 1; n <= REPEAT; n++) {
      last = changed(bot, n);
      const body = botDocumentText(last);
      const started = performance.now();
      const response = await stratus.fetch(`/v1/bots/${bot}?note=bench`, { method: "PUT", headers: { ...operator, "Content-Type": "application/yaml" }, body });
      const wall = performance.now() - started;
      if (response.status !== 201) throw new Error(`publish ${bot}: ${response.status} ${await response.text()}`);
      const published = PublishedBotSchema.parse(await response.json());
      runs.push({ wall, training: published.trainingMs, stored: published.storedBytes, version: published.version });
    }
    if (!last) throw new Error("no run");
    // The parts as the gateway stores them: the document and the dialogue part are computed here the
    // same way; the model is what remains of the stored bytes.
    const compiled = compileBotDocument(last, bot).bot;
    if (!compiled) throw new Error(`${bot} does not compile`);
    const document = (await gzipText(JSON.stringify(last))).byteLength;
    const dialogue = (await gzipText(JSON.stringify({ definition: compiled.definition, ...(compiled.knowledge ? { knowledge: compiled.knowledge.indexes } : {}) }))).byteLength;
    const stored = runs.at(-1)?.stored ?? 0;
    const model = stored - document - dialogue;
    const chunks = [document, dialogue, model].reduce((sum, bytes) => sum + Math.max(1, Math.ceil(bytes / CHUNK_BYTES)), 0);

    // A conversation on the new version: its first turn loads the version into the isolates, the next is cached.
    const version = runs.at(-1)?.version ?? 1;
    await stratus.fetch(`/v1/bots/${bot}/release`, { method: "POST", headers: { ...operator, "Content-Type": "application/json" }, body: JSON.stringify({ version }) });
    const conversation = await stratus.createConversation({ bot, locale: "en" });
    const t0 = performance.now();
    await stratus.say(conversation, HELLO[bot]);
    const firstTurnMs = performance.now() - t0;
    const t1 = performance.now();
    await stratus.say(conversation, HELLO[bot]);
    const cachedTurnMs = performance.now() - t1;

    figures.push({
      bot,
      documentBytes: Buffer.byteLength(botDocumentText(last)),
      publishMs: { median: round(percentile(runs.map((r) => r.wall), 50), 0), runs: runs.map((r) => round(r.wall, 0)) },
      trainingMs: { median: round(percentile(runs.map((r) => r.training), 50), 0), runs: runs.map((r) => r.training) },
      storedBytes: stored,
      parts: { document, dialogue, model },
      // The version's row (and its hash's index entry) and one row per chunk of each part.
      rowsWritten: 2 + chunks,
      firstTurnMs: round(firstTurnMs, 0),
      cachedTurnMs: round(cachedTurnMs, 0),
    });
    console.log(`${bot}: published in ${figures.at(-1)?.publishMs.median} ms (training ${figures.at(-1)?.trainingMs.median} ms), ${stored} bytes stored`);
  }
} finally {
  await stratus.close();
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const markdown = `# Publishing a bot version

\`npm run bench:bot-versions\` (bench/bot-versions.ts): \`PUT /v1/bots/{bot}\` for each example bot on
the real Workers on workerd (${REPEAT} runs each, a new document each run), and the first turns of a
conversation on the new version. ${machineDescription()}; the machine is shared, so wall times vary.

| bot | document sent | publish (median, end to end) | NLU training | stored (gzip) | document | dialogue | model | rows written |
|---|---|---|---|---|---|---|---|---|
${figures
  .map(
    (f) =>
      `| ${f.bot} | ${kib(f.documentBytes)} | ${(f.publishMs.median / 1000).toFixed(2)} s | ${(f.trainingMs.median / 1000).toFixed(2)} s | ${kib(f.storedBytes)} | ${kib(f.parts.document)} | ${kib(f.parts.dialogue)} | ${kib(f.parts.model)} | ${f.rowsWritten} |`,
  )
  .join("\n")}

A version is one row in \`versions\` and its three parts in \`parts\`, gzip-compressed and cut into
chunks of at most ${CHUNK_BYTES / 1024 / 1024} MiB (a Durable Object's SQLite row holds at most 2 MB): the
document as published, what the dialogue Worker runs (the checked definition and its help documents'
index), and the trained NLU model. Nothing is written per conversation or per turn.

| bot | first turn on the new version (loads it) | next turn (cached in the isolates) |
|---|---|---|
${figures.map((f) => `| ${f.bot} | ${f.firstTurnMs} ms | ${f.cachedTurnMs} ms |`).join("\n")}
`;
writeBenchResults("bot-versions", { machine: machineDescription(), repeat: REPEAT, bots: figures }, markdown, "markdown");
