import { DurableObject } from "cloudflare:workers";
import type { z } from "zod";
import { failure, type Failure, type Outcome } from "../../shared/errors.ts";
import {
  ListUserConversationsInputSchema,
  OpenConversationInputSchema,
  ReadProfileInputSchema,
  RemoveConversationInputSchema,
  SetConsentInputSchema,
  SubjectInputSchema,
  WriteFactsInputSchema,
  type ConsentState,
  type EraseResult,
  type ProfileExport,
  type ProfileFact,
  type SetConsentResult,
  type UserConversation,
  type UserConversationPage,
  type WriteFactsResult,
} from "../../shared/schemas/profile.ts";
import { userIdentityConfig } from "../../shared/user-identity-config.ts";
import { describeZodError } from "../../shared/zod-issues.ts";
import { ConsentLedger } from "./consent-ledger.ts";
import { ConversationIndex } from "./conversation-index.ts";
import { FactStore } from "./fact-store.ts";
import { ProfileDatabase } from "./profile-database.ts";
import { ProfileOwner } from "./profile-owner.ts";
import { planWrite, resolveAccess, retentionVerdict } from "./profile-rules.ts";

/**
 * The units over the profile's rows (shared/schemas/profile.ts: the record, facts, consents,
 * conversations), once its table exists, for one call: the owner and the consents read their row
 * once per call and keep it for the rest of it (a write goes through them, so what they keep stays
 * what is stored); the next call reads again.
 */
interface Profile {
  owner: ProfileOwner;
  facts: FactStore;
  consents: ConsentLedger;
  conversations: ConversationIndex;
}

const WRONG_USER = "this profile belongs to another user";

/** The codes the object answers with besides success. */
type ProfileError = "invalid_request" | "forbidden";

/**
 * An RPC input checked with its schema: a call the gateway or the dialogue Worker got wrong is
 * answered `invalid_request`, as a value (a thrown error would reach the caller as its bare name).
 */
function parseInput<Schema extends z.ZodType>(schema: Schema, raw: unknown): { ok: true; input: z.output<Schema> } | Failure<"invalid_request"> {
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, input: parsed.data } : failure("invalid_request", describeZodError(parsed.error));
}

/** A profile claimed by another `sub` (one whose first write never committed its owner is anyone's to claim). */
function ownedByAnother(profile: Profile, sub: string): boolean {
  const owner = profile.owner.sub();
  return owner !== undefined && owner !== sub;
}

/**
 * One signed-in user's profile (`USER_PROFILES`, named by the user token's `sub`): facts with
 * their source and purpose, consent per purpose, and the user's conversations. A thin host: the
 * rules are in profile-rules.ts, each kind of row of its one table (profile-table.ts) has its
 * unit, and every input and stored row is checked with the schemas of shared/schemas/profile.ts.
 *
 * Nothing is stored until something is written: reading an unknown user's profile creates
 * nothing, and `erase` leaves the object empty. A profile idle for longer than
 * STRATUS_PROFILE_RETENTION_DAYS is erased by its alarm.
 */
export class UserProfileDurableObject extends DurableObject<GatewayEnv> {
  private readonly database: ProfileDatabase;
  /** The user's conversations, kept across calls once the profile exists (a listing's pages read the rows once); dropped with it. */
  private conversations: ConversationIndex | undefined;
  /** The retention alarm was seen armed in this isolate: no need to read it on every write. */
  private alarmArmed = false;

  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    this.database = new ProfileDatabase(ctx.storage);
  }

  /**
   * The facts a bot may read (its declared read fields of its declared purposes) and where consent
   * stands for its purposes: what a turn's templates and conditions see as `profile.*`.
   */
  read(raw: unknown): Outcome<{ facts: ProfileFact[]; consents: ConsentState[] }, ProfileError> {
    const parsed = parseInput(ReadProfileInputSchema, raw);
    if (!parsed.ok) return parsed;
    const { input } = parsed;
    const profile = this.existing();
    if (profile === undefined) return { ok: true, facts: [], consents: [] };
    if (ownedByAnother(profile, input.sub)) return failure("forbidden", WRONG_USER);
    const access = resolveAccess(input.access);
    profile.owner.touch(Date.now());
    return {
      ok: true,
      facts: profile.facts.list(access.read),
      consents: profile.consents.current().filter((consent) => access.purposes.has(consent.purpose)),
    };
  }

  /**
   * Stores what a bot remembers about its user. Each fact is stored, or reported back as needing
   * consent (its purpose is a special category without consent, or consent was withdrawn); a
   * field the bot may not write, or a value of the wrong type, refuses the whole write.
   */
  async write(raw: unknown): Promise<Outcome<WriteFactsResult, ProfileError>> {
    const parsed = parseInput(WriteFactsInputSchema, raw);
    if (!parsed.ok) return parsed;
    const { input } = parsed;
    if (input.source.bot !== input.access.bot) return failure("forbidden", "a bot writes facts from its own conversations only");
    const now = Date.now();
    const existing = this.existing();
    if (existing !== undefined && ownedByAnother(existing, input.sub)) return failure("forbidden", WRONG_USER);
    const plan = planWrite(resolveAccess(input.access), input.facts, (purpose) => existing?.consents.state(purpose));
    if (!plan.ok) return failure(plan.code, plan.message);
    const consentRequired = plan.consentRequired;
    if (plan.store.length === 0) return { ok: true, stored: [], consentRequired };
    const profile = existing ?? this.created();
    const setAt = new Date(now).toISOString();
    this.ctx.storage.transactionSync(() => {
      profile.owner.claim(input.sub, now);
      profile.owner.touch(now);
      const slots = new Map(input.facts.map((fact) => [fact.field, fact.slot]));
      for (const fact of plan.store) profile.facts.put({ ...fact, source: { ...input.source, slot: slots.get(fact.field) ?? input.source.slot }, setAt });
    });
    await this.armRetention(profile, now);
    return { ok: true, stored: plan.store.map((fact) => fact.field), consentRequired };
  }

  /**
   * Records consent given or withdrawn for a purpose, with its time and where it was said.
   * Withdrawing erases the facts collected for that purpose at once.
   */
  async setConsent(raw: unknown): Promise<Outcome<SetConsentResult, ProfileError>> {
    const parsed = parseInput(SetConsentInputSchema, raw);
    if (!parsed.ok) return parsed;
    const { input } = parsed;
    const now = Date.now();
    const existing = this.existing();
    if (existing !== undefined && ownedByAnother(existing, input.sub)) return failure("forbidden", WRONG_USER);
    const at = new Date(now).toISOString();
    const profile = existing ?? this.created();
    const erasedFacts = this.ctx.storage.transactionSync(() => {
      profile.owner.claim(input.sub, now);
      profile.owner.touch(now);
      profile.consents.record({
        purpose: input.purpose,
        action: input.given ? "given" : "withdrawn",
        at,
        bot: input.via?.bot ?? null,
        conversationId: input.via?.conversationId ?? null,
      });
      return input.given ? 0 : profile.facts.deletePurpose(input.purpose);
    });
    await this.armRetention(profile, now);
    return { ok: true, consent: { purpose: input.purpose, given: input.given, since: at }, erasedFacts };
  }

  /** Where consent stands for every purpose it was asked for. */
  consents(raw: unknown): Outcome<{ consents: ConsentState[] }, ProfileError> {
    const parsed = parseInput(SubjectInputSchema, raw);
    if (!parsed.ok) return parsed;
    const { input } = parsed;
    const profile = this.existing();
    if (profile === undefined) return { ok: true, consents: [] };
    if (ownedByAnother(profile, input.sub)) return failure("forbidden", WRONG_USER);
    return { ok: true, consents: profile.consents.current() };
  }

  /**
   * A conversation starts for this user (the gateway, at creation): it joins their conversations,
   * and what its bot may read comes back at once — the facts of the bot's read fields and consent
   * for its purposes — so the conversation carries them and no turn reads the profile again.
   */
  async openConversation(raw: unknown): Promise<Outcome<{ facts: ProfileFact[]; consents: ConsentState[] }, ProfileError>> {
    const parsed = parseInput(OpenConversationInputSchema, raw);
    if (!parsed.ok) return parsed;
    const { input } = parsed;
    const joined = await this.joinConversation(input);
    if (!joined.ok) return joined;
    const { profile } = joined;
    if (input.access === null) return { ok: true, facts: [], consents: [] };
    const access = resolveAccess(input.access);
    return {
      ok: true,
      facts: profile.facts.list(access.read),
      consents: profile.consents.current().filter((consent) => access.purposes.has(consent.purpose)),
    };
  }

  /** A conversation that no longer exists (its retention ran out, or it was erased) leaves the list. */
  removeConversation(raw: unknown): Outcome<object, ProfileError> {
    const parsed = parseInput(RemoveConversationInputSchema, raw);
    if (!parsed.ok) return parsed;
    const { input } = parsed;
    const profile = this.existing();
    if (profile === undefined) return { ok: true };
    if (ownedByAnother(profile, input.sub)) return failure("forbidden", WRONG_USER);
    profile.conversations.remove(input.conversationId);
    return { ok: true };
  }

  /** "My conversations": a page, the most recently active first. */
  listConversations(raw: unknown): Outcome<UserConversationPage, ProfileError> {
    const parsed = parseInput(ListUserConversationsInputSchema, raw);
    if (!parsed.ok) return parsed;
    const { input } = parsed;
    const profile = this.existing();
    if (profile === undefined) return { ok: true, conversations: [], nextCursor: null };
    if (ownedByAnother(profile, input.sub)) return failure("forbidden", WRONG_USER);
    return { ok: true, ...profile.conversations.page(input.limit, input.before) };
  }

  /** Everything the profile holds about its user, as one document (empty for a user never seen). */
  exportProfile(raw: unknown): Outcome<{ profile: ProfileExport }, ProfileError> {
    const parsed = parseInput(SubjectInputSchema, raw);
    if (!parsed.ok) return parsed;
    const { sub } = parsed.input;
    const exportedAt = new Date().toISOString();
    const profile = this.existing();
    if (profile === undefined) {
      return { ok: true, profile: { sub, exportedAt, facts: [], consents: { current: [], history: [] }, conversations: [] } };
    }
    if (ownedByAnother(profile, sub)) return failure("forbidden", WRONG_USER);
    return {
      ok: true,
      profile: {
        sub,
        exportedAt,
        facts: profile.facts.list(),
        consents: { current: profile.consents.current(), history: profile.consents.history() },
        conversations: profile.conversations.all(),
      },
    };
  }

  /** Erases everything (GDPR Article 17): afterwards the object holds no table and no row. Idempotent. */
  async erase(raw: unknown): Promise<Outcome<EraseResult, ProfileError>> {
    const parsed = parseInput(SubjectInputSchema, raw);
    if (!parsed.ok) return parsed;
    const { sub } = parsed.input;
    const profile = this.existing();
    if (profile === undefined) return { ok: true, erased: false };
    if (ownedByAnother(profile, sub)) return failure("forbidden", WRONG_USER);
    await this.eraseAll();
    return { ok: true, erased: true };
  }

  /** Retention: a profile idle past STRATUS_PROFILE_RETENTION_DAYS is erased; otherwise the alarm is set for when it would be. */
  override async alarm(): Promise<void> {
    this.alarmArmed = false;
    const profile = this.existing();
    const lastActivity = profile?.owner.lastActivity();
    if (profile === undefined || lastActivity === undefined) return;
    const now = Date.now();
    const verdict = retentionVerdict(lastActivity, userIdentityConfig(this.env).STRATUS_PROFILE_RETENTION_DAYS, now);
    if (verdict.erase) {
      await this.eraseAll();
      // The user id is personal data too: the line says that a profile expired, not whose.
      console.log(JSON.stringify({ event: "profile_expired" }));
      return;
    }
    if (verdict.checkAt !== null) {
      await this.ctx.storage.setAlarm(verdict.checkAt);
      this.alarmArmed = true;
    }
  }

  /** The stored profile, for this call; undefined when nothing was ever stored (or everything was erased). */
  private existing(): Profile | undefined {
    return this.database.exists() ? this.forCall() : undefined;
  }

  /** The profile, its table created now if it is new (by the first write: its first row follows in the same call). */
  private created(): Profile {
    this.database.create();
    return this.forCall();
  }

  /** The units for one call (each RPC method and the alarm asks once, at its start). */
  private forCall(): Profile {
    const { table } = this.database;
    this.conversations ??= new ConversationIndex(table);
    return { owner: new ProfileOwner(table), facts: new FactStore(table), consents: new ConsentLedger(table), conversations: this.conversations };
  }

  private async eraseAll(): Promise<void> {
    await this.database.eraseAll();
    this.conversations = undefined;
    this.alarmArmed = false;
  }

  /** The user's conversation joins their profile (created for its first one), or its last activity moves on. */
  private async joinConversation(input: { sub: string; conversation: UserConversation }): Promise<Outcome<{ profile: Profile }, ProfileError>> {
    const now = Date.now();
    const existing = this.existing();
    if (existing !== undefined && ownedByAnother(existing, input.sub)) return failure("forbidden", WRONG_USER);
    const profile = existing ?? this.created();
    this.ctx.storage.transactionSync(() => {
      profile.owner.claim(input.sub, now);
      profile.owner.touch(now);
      profile.conversations.record(input.conversation);
    });
    await this.armRetention(profile, now);
    return { ok: true, profile };
  }

  /** Makes sure the retention alarm is set once a profile holds something (the alarm moves itself on). */
  private async armRetention(profile: Profile, now: number): Promise<void> {
    if (this.alarmArmed) return;
    if ((await this.ctx.storage.getAlarm()) === null) {
      const verdict = retentionVerdict(profile.owner.lastActivity() ?? now, userIdentityConfig(this.env).STRATUS_PROFILE_RETENTION_DAYS, now);
      if (!verdict.erase && verdict.checkAt !== null) await this.ctx.storage.setAlarm(verdict.checkAt);
    }
    this.alarmArmed = true;
  }
}
