import {
  CONVERSATION_STORAGE_VERSION,
  ConversationRecordBodySchema,
  type AnalyticsFacts,
  type ChannelAddress,
  type ChannelChat,
  type ConversationInfo,
  type ConversationRecordBody,
  type DialogueState,
  type NewConversationInfo,
  type HandedOffBy,
  type UsedTicket,
} from "../../shared/schemas/index.ts";
import type { ConversationLog } from "./conversation-log.ts";

export type { ConversationInfo, NewConversationInfo, UsedTicket } from "../../shared/schemas/index.ts";

/**
 * The conversation's record: row 0 of its log (what it is, who has it, and the few facts kept
 * across turns). Read once per object start and kept in memory; a change is written once, at the
 * end of the synchronous work that made it (several changes of one call — a handoff changes three
 * fields — are one row written), before any reply leaves the object (its output gate).
 */
export class ConversationRecord {
  private body: ConversationRecordBody | undefined;
  private loaded = false;
  private dirty = false;
  /** Bumped by `forget`, so a write scheduled before the storage was deleted does not bring it back. */
  private generation = 0;

  constructor(private readonly log: ConversationLog) {}

  info(): ConversationInfo | undefined {
    return this.read()?.info;
  }

  /**
   * Creates the record (the conversation's first row): a messaging channel's conversation with its
   * chat, and the dialogue state its first turn starts from when that is not the empty one (a
   * signed-in user's profile, read at creation), in the same row.
   */
  setInfo(info: NewConversationInfo, extras: { channel?: ChannelChat | undefined; initialState?: DialogueState | undefined } = {}): void {
    const { channel, initialState } = extras;
    this.body = ConversationRecordBodySchema.parse({
      v: CONVERSATION_STORAGE_VERSION,
      info,
      ...(channel === undefined ? {} : { channel }),
      ...(initialState === undefined ? {} : { state: { seq: 0, value: initialState } }),
    });
    this.loaded = true;
    this.log.insert(0, "c", Date.parse(info.createdAt), compactRecord(this.body));
  }

  /** An operator moved the conversation to another version of its bot: its next turns run on it. */
  setBotVersion(version: number): void {
    this.change((body) => (body.info = { ...body.info, botVersion: version }));
  }

  /** Drops what is cached from storage: after the conversation's storage was deleted. */
  forget(): void {
    this.body = undefined;
    this.loaded = false;
    this.dirty = false;
    this.generation++;
  }

  /** True while a human has the conversation: the bot stays silent. */
  handedOff(): boolean {
    return this.read()?.handedOff ?? false;
  }

  setHandedOff(handedOff: boolean): void {
    this.change((body) => (body.handedOff = handedOff));
  }

  /** Who handed the conversation over, for the directory (null while the bot has it). */
  handedOffBy(): HandedOffBy | null {
    return this.read()?.handedOffBy ?? null;
  }

  setHandedOffBy(by: HandedOffBy | null): void {
    this.change((body) => (body.handedOffBy = by));
  }

  /** The messaging channel's chat this conversation is (undefined: a web conversation). */
  channel(): ChannelChat | undefined {
    return this.read()?.channel;
  }

  /** Where the chat's replies go from now on (the address of the user's latest message). */
  setChannelAddress(address: ChannelAddress): void {
    this.change((body) => {
      if (body.channel) body.channel = { ...body.channel, address };
    });
  }

  /** The analytics facts the record holds; undefined while the first bot row says them (analytics-reporter.ts). */
  analyticsFacts(): AnalyticsFacts | undefined {
    return this.read()?.analytics;
  }

  setAnalyticsFacts(facts: AnalyticsFacts): void {
    this.change((body) => (body.analytics = facts));
  }

  /** Tokens issued before this moment (ms) are refused: an operator revoked them (0: none revoked). */
  tokensValidFrom(): number {
    return this.read()?.tokensValidFrom ?? 0;
  }

  setTokensValidFrom(at: number): void {
    this.change((body) => (body.tokensValidFrom = at));
  }

  /** Socket tickets already used, with their expiry (ms): each is accepted once (access.ts). */
  usedSocketTickets(): UsedTicket[] {
    return this.read()?.usedTickets ?? [];
  }

  setUsedSocketTickets(tickets: UsedTicket[]): void {
    this.change((body) => (body.usedTickets = tickets));
  }

  /** Turns an operator is replaying (turn-ledger.ts). */
  replaying(): number[] {
    return this.read()?.replaying ?? [];
  }

  setReplaying(seqs: number[]): void {
    this.change((body) => (body.replaying = seqs));
  }

  /** The state a reply-less turn left (see ConversationRecordBodySchema `state`). */
  replylessState(): ConversationRecordBody["state"] {
    return this.read()?.state;
  }

  setReplylessState(state: NonNullable<ConversationRecordBody["state"]>): void {
    this.change((body) => (body.state = state));
  }

  private read(): ConversationRecordBody | undefined {
    if (!this.loaded) {
      const row = this.log.row(0);
      this.body = row === undefined ? undefined : ConversationRecordBodySchema.parse(JSON.parse(row.body));
      this.loaded = true;
    }
    return this.body;
  }

  /** Applies a change in memory and writes the record once the current synchronous work is done. */
  private change(apply: (body: ConversationRecordBody) => void): void {
    const body = this.read();
    if (!body) throw new Error("the conversation has no record");
    apply(body);
    if (this.dirty) return;
    this.dirty = true;
    const generation = this.generation;
    queueMicrotask(() => {
      if (generation !== this.generation || !this.dirty || !this.body) return;
      this.dirty = false;
      this.log.update(0, compactRecord(this.body));
    });
  }
}

/** The record with the fields that still hold their defaults left out (the schema puts them back on read). */
function compactRecord(body: ConversationRecordBody): Partial<ConversationRecordBody> {
  const defaults = ConversationRecordBodySchema.parse({ v: body.v, info: body.info });
  const compact: Partial<ConversationRecordBody> = {};
  for (const key of Object.keys(body) as (keyof ConversationRecordBody)[]) {
    if (key === "v" || key === "info" || JSON.stringify(body[key]) !== JSON.stringify(defaults[key])) Object.assign(compact, { [key]: body[key] });
  }
  return compact;
}
