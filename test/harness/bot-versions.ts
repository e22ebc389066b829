// Publishing and releasing bot versions as the operator does (docs/bot-versions.md), for the tests
// that run the real Workers: PUT /v1/bots/:bot with a bot document, POST /v1/bots/:bot/release.
import { join } from "node:path";
import { expect } from "vitest";
import { botDocumentText, readBotDocument } from "../../devkit/bots/bot-document.ts";
import { OPERATOR_API_KEY, ROOT, type Stratus } from "../../devkit/local-stack.ts";
import { PublishedBotSchema, ReleasedSchema, type BotDocument, type PublishedBot } from "../../shared/schemas/bot-versions.ts";
import type { z } from "zod";

const operator = { Authorization: `Bearer ${OPERATOR_API_KEY}` };

/** The built-in bot's document as bots/<bot> packs it (its version 1), read afresh on each call; throws if it does not pack. */
export function builtInBotDocument(bot: string): BotDocument {
  const { document } = readBotDocument(join(ROOT, "bots", bot), ROOT);
  if (!document) throw new Error(`bots/${bot} does not pack`);
  return document;
}

/** PUT /v1/bots/:bot as the operator: a document (as YAML), or a body as it is; the answer unread. */
export function putBotDocument(
  stratus: Pick<Stratus, "fetch">,
  bot: string,
  document: BotDocument | string,
  options: { note?: string | undefined; contentType?: string | undefined } = {},
): Promise<Response> {
  const body = typeof document === "string" ? document : botDocumentText(document);
  const query = options.note === undefined ? "" : `?note=${encodeURIComponent(options.note)}`;
  return stratus.fetch(`/v1/bots/${bot}${query}`, { method: "PUT", headers: { ...operator, "Content-Type": options.contentType ?? "application/yaml" }, body });
}

/** Publishes a changed bot document: a new version (201), not yet released. */
export async function publishBot(stratus: Pick<Stratus, "fetch">, bot: string, document: BotDocument, note?: string): Promise<PublishedBot> {
  const response = await putBotDocument(stratus, bot, document, { note });
  expect(response.status, await response.clone().text()).toBe(201);
  return PublishedBotSchema.parse(await response.json());
}

/** Releases a version to every new conversation, or to `percent` of them as a canary (200). */
export async function releaseBot(stratus: Pick<Stratus, "fetch">, bot: string, version: number, percent?: number): Promise<z.infer<typeof ReleasedSchema>> {
  const response = await stratus.fetch(`/v1/bots/${bot}/release`, {
    method: "POST",
    headers: { ...operator, "Content-Type": "application/json" },
    body: JSON.stringify(percent === undefined ? { version } : { version, percent }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return ReleasedSchema.parse(await response.json());
}
