// `npm run build:bots`: checks every bots/<id>/ and compiles them for the Workers:
//   generated/bots.json          { defaultBot, bots: { [id]: validated bot definition incl. FAQ } }  (dialogue Worker)
//   generated/catalog.json       { defaultBot, bots: [{ id, name, locales, defaultLocale }] }      (gateway, public)
//   generated/bot-fallbacks.json { [id]: the bot's fallback.unavailable text per locale }         (conversation object)
//   generated/bot-analytics.json { [id]: the bot's analytics settings }                           (conversation + analytics objects)
//   generated/bot-profiles.json  { [id]: what the bot reads and writes of users' profiles, or null } (gateway: a signed-in user's new conversation)
//   generated/metric-labels.json { bots: { [id]: { locales, intents, actions, forms } } }         (every Worker's metrics)
//   generated/knowledge.json     { v, bots: { [id]: { [locale]: index of the bot's documents } } } (dialogue Worker; docs/knowledge.md)
//   generated/bot-documents.json { [id]: { hash, document } }: each bot as PUT /v1/bots/{bot} takes it (gateway; version 1, docs/bot-versions.md)
// Exits 1 (writing nothing) if any bot has a problem; `npm run validate` prints the same problems.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BotAnalyticsSettingsByBotSchema } from "../shared/schemas/analytics.ts";
import type { BotDefinition } from "../shared/schemas/bot.ts";
import { CompiledKnowledgeSchema, type CompiledKnowledge } from "../shared/schemas/knowledge.ts";
import { BotCatalogSchema, BotFallbacksSchema, type BotCatalog, type BotFallback, type BotFallbacks } from "../shared/schemas/catalog.ts";
import { BotProfileAccessByBotSchema } from "../shared/schemas/profile.ts";
import { profileAccessOf } from "../shared/bot-profile-access.ts";
import { MetricLabelValuesSchema, type MetricLabelValues } from "../shared/schemas/metrics.ts";
import { BuiltInBotDocumentsSchema, type BuiltInBotDocuments } from "../shared/schemas/bot-versions.ts";
import { documentHash, packBotFolder } from "../devkit/bots/bot-document.ts";
import { loadBots } from "../devkit/bots/load-bots.ts";

const DEFAULT_BOT = "ecommerce";

const root = fileURLToPath(new URL("..", import.meta.url));
const { bots, errors } = loadBots(root);
if (errors.length > 0) {
  for (const error of errors) console.error(error);
  console.error(`build:bots: ${errors.length} problem(s); nothing written`);
  process.exit(1);
}
if (!bots.some((bot) => bot.id === DEFAULT_BOT)) {
  console.error(`build:bots: the default bot "${DEFAULT_BOT}" is missing from bots/`);
  process.exit(1);
}
const compiled = { defaultBot: DEFAULT_BOT, bots: Object.fromEntries(bots.map((bot) => [bot.id, bot.definition])) };
const catalog: BotCatalog = {
  defaultBot: DEFAULT_BOT,
  bots: bots.map(({ definition }) => ({
    id: definition.id,
    name: definition.name,
    locales: definition.locales,
    defaultLocale: definition.defaultLocale,
    ...(definition.residency ? { jurisdiction: definition.residency.jurisdiction } : {}),
  })),
};
const fallbacks: BotFallbacks = {};
for (const { definition } of bots) {
  const fallback = unavailableFallback(definition);
  if (fallback) fallbacks[definition.id] = fallback;
}
// The only values a bot's metric labels may take (shared/metrics/label-domains.ts).
const metricLabels: MetricLabelValues = {
  bots: Object.fromEntries(
    bots.map(({ definition, training }) => [
      definition.id,
      {
        locales: definition.locales,
        intents: Object.keys(training.intents).sort(),
        actions: Object.keys(definition.actions).sort(),
        forms: Object.keys(definition.forms).sort(),
      },
    ]),
  ),
};
// The documents of the bots that name a knowledge folder, split and indexed once, here.
const knowledge: CompiledKnowledge = { v: 1, bots: {} };
for (const bot of bots) if (bot.knowledge) knowledge.bots[bot.id] = bot.knowledge.indexes;
// Each bot as one document with its content hash: version 1 of the bot, which GET /v1/bots/{bot}/versions/1 returns.
const documents: BuiltInBotDocuments = {};
for (const bot of bots) {
  const packed = packBotFolder(bot.dir, root);
  if (packed.document === undefined) {
    for (const error of packed.errors) console.error(error);
    process.exit(1);
  }
  documents[bot.id] = { hash: await documentHash(packed.document), document: packed.document };
}
const analytics = Object.fromEntries(bots.map(({ definition }) => [definition.id, definition.analytics]));
const profiles = Object.fromEntries(bots.map(({ definition }) => [definition.id, profileAccessOf(definition)]));
const outDir = join(root, "generated");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "bots.json"), `${JSON.stringify(compiled)}\n`);
writeFileSync(join(outDir, "catalog.json"), `${JSON.stringify(BotCatalogSchema.parse(catalog))}\n`);
writeFileSync(join(outDir, "bot-fallbacks.json"), `${JSON.stringify(BotFallbacksSchema.parse(fallbacks))}\n`);
writeFileSync(join(outDir, "bot-analytics.json"), `${JSON.stringify(BotAnalyticsSettingsByBotSchema.parse(analytics))}\n`);
writeFileSync(join(outDir, "bot-profiles.json"), `${JSON.stringify(BotProfileAccessByBotSchema.parse(profiles))}\n`);
writeFileSync(join(outDir, "metric-labels.json"), `${JSON.stringify(MetricLabelValuesSchema.parse(metricLabels))}\n`);
writeFileSync(join(outDir, "knowledge.json"), `${JSON.stringify(CompiledKnowledgeSchema.parse(knowledge))}\n`);
writeFileSync(join(outDir, "bot-documents.json"), `${JSON.stringify(BuiltInBotDocumentsSchema.parse(documents))}\n`);
console.log(
  `build:bots: ${bots.map((bot) => bot.id).join(", ")} → generated/bots.json, generated/catalog.json, generated/bot-fallbacks.json, generated/bot-analytics.json, generated/bot-profiles.json, generated/metric-labels.json, generated/knowledge.json (${knowledgeSummary(knowledge)}), generated/bot-documents.json`,
);

/** The bot's own answer for a turn the pipeline could not answer (validation made sure it has no variables). */
function unavailableFallback(definition: BotDefinition): BotFallback | undefined {
  const name = definition.fallback.unavailable;
  const response = name === undefined ? undefined : definition.responses[name];
  if (name === undefined || !response) return undefined;
  const locales: BotFallback["locales"] = {};
  for (const locale of definition.locales) {
    const localized = response[locale];
    if (localized) locales[locale] = { text: localized.text, ...(localized.quickReplies ? { quickReplies: localized.quickReplies } : {}) };
  }
  return { response: name, defaultLocale: definition.defaultLocale, locales };
}

/** "ecommerce 3×41 passages" for the bots with documents, or "no documents". */
function knowledgeSummary(compiled: CompiledKnowledge): string {
  const parts = Object.entries(compiled.bots).map(([id, indexes]) => {
    const counts = Object.values(indexes).map((index) => index?.passages.length ?? 0);
    return `${id} ${counts.join("+")} passages`;
  });
  return parts.length > 0 ? parts.join(", ") : "no documents";
}
