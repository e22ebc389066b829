import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { failure, type Outcome } from "../../shared/errors.ts";
import {
  BotVersionNumberSchema,
  BotVersionSchema,
  PublishVersionSchema,
  VersionPartSchema,
  type PublishedVersion,
  type ReleaseForNewConversations,
  type ReleaseState,
} from "../../shared/schemas/bot-versions.ts";
import { migrateStorage } from "../../shared/storage-migrations.ts";
import { nextRelease } from "./release-rules.ts";
import { REGISTRY_MIGRATIONS, RegistryStore } from "./registry-store.ts";

const ReleaseRequestSchema = z.object({ version: BotVersionNumberSchema, percent: z.number().min(0).max(100).optional() });

/**
 * One bot's published versions and its release (one object per bot, named by the bot id;
 * docs/bot-versions.md). A version is stored content-addressed by its document's hash, in three
 * compressed parts: the document as published, what the dialogue Worker runs, what the intent
 * Worker runs. The release says which version new conversations start on (current, and a canary
 * for a share of them). Version 1, the bot the deployment was built with, is not stored here: the
 * Workers bundle it.
 *
 * It belongs to the intent Worker (stratus-intent), which is deployed first: the gateway and the
 * dialogue Worker bind it from there, as a Durable Object binding needs its class deployed before.
 * Publishing is rare and reading a version is cached by every isolate that runs it, so one object
 * per bot is plenty; the release is held in memory, so a conversation's creation asks it cheaply.
 */
export class BotRegistryDurableObject extends DurableObject<IntentEnv> {
  private readonly store: RegistryStore;

  constructor(ctx: DurableObjectState, env: IntentEnv) {
    super(ctx, env);
    migrateStorage(ctx.storage, REGISTRY_MIGRATIONS, Date.now());
    this.store = new RegistryStore(ctx.storage.sql);
  }

  /** Which version new conversations start on, with those versions' profile declarations (RPC; from memory after the object's first calls). */
  release(): ReleaseForNewConversations {
    return this.withProfiles(this.store.currentRelease());
  }

  /** Every published version, newest first (RPC); version 1 is the gateway's to add. */
  versions(): PublishedVersion[] {
    return this.store.versions();
  }

  /** A published version by number or content hash, or null (RPC). */
  find(raw: unknown): PublishedVersion | null {
    const ref = BotVersionSchema.parse(raw);
    return (typeof ref === "number" ? this.store.byNumber(ref) : this.store.byHash(ref)) ?? null;
  }

  /**
   * Stores a checked, compiled and trained version (RPC from the gateway's PUT /v1/bots/{bot}):
   * a document already published returns the version that holds it, and nothing is written.
   */
  publish(raw: unknown): PublishedVersion & { created: boolean } {
    const { hash, note, parts, profile } = PublishVersionSchema.parse(raw);
    const existing = this.store.byHash(hash);
    if (existing) return { ...existing, created: false };
    const published = this.ctx.storage.transactionSync(() => this.store.insert(hash, note, parts, profile, Date.now()));
    console.log(JSON.stringify({ event: "bot_version_published", version: published.version, hash, storedBytes: published.storedBytes }));
    return { ...published, created: true };
  }

  /** A stored part of a version, gzip-compressed as stored, or null (RPC: the intent and dialogue Workers load a version with it). */
  part(version: unknown, part: unknown): Uint8Array | null {
    const found = this.store.byNumber(BotVersionNumberSchema.parse(version));
    return found === undefined ? null : (this.store.part(found.hash, VersionPartSchema.parse(part)) ?? null);
  }

  /**
   * Releases a version (RPC from POST /v1/bots/{bot}/release): without `percent` it becomes current
   * and any canary ends; with `percent`, the canary for that share of new conversations. Takes effect
   * for the next conversation created; running conversations keep their version.
   */
  setRelease(raw: unknown): Outcome<{ release: ReleaseForNewConversations }> {
    const request = ReleaseRequestSchema.parse(raw);
    if (request.version !== 1 && this.store.byNumber(request.version) === undefined) return failure("version_not_found", `the bot has no version ${request.version}`);
    const release = nextRelease(this.store.currentRelease(), request);
    this.store.setRelease(release);
    console.log(JSON.stringify({ event: "bot_version_released", ...release }));
    return { ok: true, release: this.withProfiles(release) };
  }

  /** The release with the kept profile declaration of each published version in it. */
  private withProfiles(release: ReleaseState): ReleaseForNewConversations {
    const profiles: NonNullable<ReleaseForNewConversations["profiles"]> = {};
    for (const version of [release.current, release.canary?.version]) {
      if (version === undefined || version === 1) continue;
      const profile = this.store.profileOf(version);
      if (profile !== undefined) profiles[String(version)] = profile;
    }
    return { ...release, profiles };
  }
}
