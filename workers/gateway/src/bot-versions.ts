/**
 * Published bot versions on the gateway's side (docs/bot-versions.md): publishing a bot document
 * (checked as `npm run validate` checks a folder, its NLU trained by the intent Worker, stored in
 * the bot's registry), the list of versions with the built-in one, and the version a new
 * conversation starts on. The registry (one Durable Object per bot) lives in the intent Worker.
 */
import documentsJson from "../../../generated/bot-documents.json";
import { releaseForNewConversation, rememberRelease } from "../../../shared/bot-versions/release-cache.ts";
import { profileAccessOf } from "../../../shared/bot-profile-access.ts";
import { gunzipText, gzipText } from "../../../shared/bot-versions/compression.ts";
import { compileBotDocument, documentHash, parseBotDocument, trainingLocales } from "../../../shared/bots/bot-document.ts";
import {
  BotDocumentSchema,
  BuiltInBotDocumentsSchema,
  type BotDocument,
  type BotVersion,
  type BotVersionInfo,
  type BotVersionList,
  type BuiltInBotDocuments,
  type ProfileAccess,
  type PublishedBot,
  ReleaseStateSchema,
  type ReleaseState,
} from "../../../shared/schemas/index.ts";
import type { BotCatalogEntry } from "../../../shared/schemas/catalog.ts";
import { ApiError } from "./errors.ts";

let builtIn: BuiltInBotDocuments | undefined;

/** Version 1 of a bot: the document it was built from, and its hash (`npm run build:bots`). */
export function builtInVersion(botId: string): { hash: string; document: BotDocument } {
  builtIn ??= BuiltInBotDocumentsSchema.parse(documentsJson);
  const found = builtIn[botId];
  if (found === undefined) throw new Error(`no built-in document for bot "${botId}"`);
  return found;
}

/** The bot's registry object (named by the bot id). */
export function registryOf(env: GatewayEnv, botId: string) {
  return env.BOT_REGISTRY.get(env.BOT_REGISTRY.idFromName(botId));
}

/**
 * The version a new conversation of the bot starts on (the isolate's release cache:
 * shared/bot-versions/release-cache.ts), and that version's profile declaration when the registry kept one.
 */
export function versionForNewConversation(env: GatewayEnv, botId: string, conversationId: string): Promise<{ version: number; profile: ProfileAccess | null | undefined }> {
  return releaseForNewConversation(botId, conversationId, () => registryOf(env, botId).release());
}

/**
 * Publishes a bot document (the text of `PUT /v1/bots/{bot}`, YAML or JSON). A bot with problems is
 * refused (422 `invalid_bot`, every problem listed) before anything is stored; a document already
 * published (or the built-in one) answers the version that holds it. Otherwise the intent Worker
 * trains its NLU and the registry stores the three parts under the document's hash.
 */
export async function publishBotVersion(env: GatewayEnv, bot: BotCatalogEntry, text: string, note: string | null): Promise<PublishedBot> {
  const started = Date.now();
  const parsed = parseBotDocument(text);
  if (parsed.document === undefined) throw invalidBot(parsed.errors);
  const document = parsed.document;
  // Everything validate checks but the ReDoS analysis of the bot's regexes, which needs Node
  // (npx stratus push runs it before sending; docs/bot-versions.md), and what a version may not change.
  const compiled = compileBotDocument(document, bot.id, { served: bot });
  if (compiled.bot === undefined) throw invalidBot(compiled.problems);
  const { definition, training, knowledge } = compiled.bot;

  const hash = await documentHash(document);
  const unchanged = (version: number, storedBytes: number): PublishedBot => ({ bot: bot.id, version, hash, created: false, storedBytes, publishMs: Date.now() - started, trainingMs: 0 });
  if (hash === builtInVersion(bot.id).hash) return unchanged(1, 0);
  const registry = registryOf(env, bot.id);
  const existing = await registry.find(hash);
  if (existing) return unchanged(existing.version, existing.storedBytes);

  // Date.now() moves only across I/O in a Worker: around the call, it measures the training.
  const trainingStarted = Date.now();
  const trained = await env.NLU.trainModel({ training, locales: trainingLocales(definition) });
  const trainingMs = Date.now() - trainingStarted;
  const [documentPart, dialoguePart] = await Promise.all([
    // As it was sent (its keys in the author's order); the hash is of its canonical form.
    gzipText(JSON.stringify(document)),
    gzipText(JSON.stringify({ definition, ...(knowledge ? { knowledge: knowledge.indexes } : {}) })),
  ]);
  const published = await registry.publish({ hash, note, parts: { document: documentPart, dialogue: dialoguePart, model: trained.model }, profile: profileAccessOf(definition) });
  console.log(
    JSON.stringify({
      event: "bot_version_published",
      bot: bot.id,
      version: published.version,
      created: published.created,
      storedBytes: published.storedBytes,
      modelJsonBytes: trained.modelJsonBytes,
      trainingMs,
      publishMs: Date.now() - started,
    }),
  );
  return { bot: bot.id, version: published.version, hash, created: published.created, storedBytes: published.storedBytes, publishMs: Date.now() - started, trainingMs };
}

/** The bot's versions, newest first, the built-in one last, with which is current and which the canary. */
export async function listBotVersions(env: GatewayEnv, botId: string): Promise<BotVersionList> {
  const registry = registryOf(env, botId);
  const [registryRelease, published] = await Promise.all([registry.release(), registry.versions()]);
  // The release alone: the versions' profile declarations that come with it are the gateway's own.
  const release = ReleaseStateSchema.parse(registryRelease);
  const flags = (version: number) => ({ current: release.current === version, canaryPercent: release.canary?.version === version ? release.canary.percent : null });
  const versions: BotVersionInfo[] = [
    ...published.map((one) => ({ ...one, builtIn: false, ...flags(one.version) })),
    { version: 1, hash: builtInVersion(botId).hash, createdAt: null, note: null, builtIn: true, storedBytes: 0, ...flags(1) },
  ];
  return { bot: botId, ...release, versions };
}

/** A version's number from what a client named it by (its number or content hash); 404 `version_not_found` when the bot has none such. */
export async function resolveVersion(env: GatewayEnv, botId: string, ref: BotVersion): Promise<number> {
  if (ref === 1 || ref === builtInVersion(botId).hash) return 1;
  const found = await registryOf(env, botId).find(ref);
  if (found === null) throw new ApiError("version_not_found", `bot "${botId}" has no version ${typeof ref === "number" ? ref : `with hash ${ref}`}`);
  return found.version;
}

/** A version's document as published (the built-in one for 1). */
export async function versionDocument(env: GatewayEnv, botId: string, version: number): Promise<BotDocument> {
  if (version === 1) return builtInVersion(botId).document;
  const bytes = await registryOf(env, botId).part(version, "document");
  if (bytes === null) throw new ApiError("version_not_found", `bot "${botId}" has no version ${version}`);
  return BotDocumentSchema.parse(JSON.parse(await gunzipText(bytes)));
}

/** Releases a version: current, or a canary for `percent` of new conversations. */
export async function releaseBotVersion(env: GatewayEnv, botId: string, ref: BotVersion, percent: number | undefined): Promise<ReleaseState> {
  const version = await resolveVersion(env, botId, ref);
  const result = await registryOf(env, botId).setRelease({ version, ...(percent === undefined ? {} : { percent }) });
  if (!result.ok) throw ApiError.from(result.error);
  rememberRelease(botId, result.release);
  // The API answers the release alone; the versions' profile declarations are the gateway's own.
  return ReleaseStateSchema.parse(result.release);
}

function invalidBot(problems: string[]): ApiError {
  return new ApiError("invalid_bot", `the bot has ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was published`, { problems });
}
