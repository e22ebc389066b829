import { z } from "zod";
import {
  DialogueStateSchema,
  HandedOffBySchema,
  LocaleSchema,
  initialDialogueState,
  type DialogueState,
  type HandedOffBy,
} from "../../shared/schemas/index.ts";

/** What a conversation is, fixed at creation. */
export const ConversationInfoSchema = z.object({
  id: z.string(),
  bot: z.string(),
  locale: LocaleSchema.nullable(),
  timezone: z.string(),
  createdAt: z.iso.datetime(),
});
export type ConversationInfo = z.infer<typeof ConversationInfoSchema>;

/** Small key/value facts of the conversation in the `meta` table, each validated on read. */
const count = z.number().int().nonnegative();
/** The stored directory bookkeeping: the last revision given out and the seq its entry listed (a bare number before the seq was kept). */
const DirectoryListingSchema = z.union([count.transform((revision) => ({ revision, listedSeq: 0 })), z.object({ revision: count, listedSeq: count })]);
type DirectoryListing = z.output<typeof DirectoryListingSchema>;
const UsedTicketsSchema = z.array(z.object({ nonce: z.string(), expiresAt: count }));
export type UsedTicket = z.infer<typeof UsedTicketsSchema>[number];

export class ConversationRecord {
  /** The info never changes once written, so it is read from storage at most once per object start. */
  private cachedInfo: ConversationInfo | undefined;

  constructor(private readonly sql: SqlStorage) {}

  info(): ConversationInfo | undefined {
    if (this.cachedInfo) return this.cachedInfo;
    const raw = this.read("info");
    this.cachedInfo = raw === undefined ? undefined : ConversationInfoSchema.parse(raw);
    return this.cachedInfo;
  }

  /** Drops what is cached from storage: after the conversation's storage was deleted. */
  forget(): void {
    this.cachedInfo = undefined;
  }

  setInfo(info: ConversationInfo): void {
    this.write("info", info);
    this.cachedInfo = info;
  }

  dialogueState(): DialogueState {
    const raw = this.read("dialogue_state");
    return raw === undefined ? initialDialogueState() : DialogueStateSchema.parse(raw);
  }

  setDialogueState(state: DialogueState): void {
    this.write("dialogue_state", state);
  }

  /** True while a human has the conversation: the bot stays silent. */
  handedOff(): boolean {
    return this.read("handoff") === true;
  }

  setHandedOff(handedOff: boolean): void {
    this.write("handoff", handedOff);
  }

  /** Who handed the conversation over, for the directory (null while the bot has it). */
  handedOffBy(): HandedOffBy | null {
    const parsed = HandedOffBySchema.nullable().safeParse(this.read("handed_off_by") ?? null);
    return parsed.success ? parsed.data : null;
  }

  setHandedOffBy(by: HandedOffBy | null): void {
    this.write("handed_off_by", by);
  }

  /**
   * The next revision of the conversation's directory entry (one more than the last one given out),
   * stored with the seq of the last message that entry lists: the directory is behind the transcript
   * while that seq is lower than the transcript's last (directory-refresh.ts), with no row of its own.
   * (Stored before the seq was kept, the value is the bare revision number.)
   */
  nextDirectoryRevision(listedSeq: number): number {
    const revision = this.directoryListing().revision + 1;
    this.write("directory_revision", { revision, listedSeq });
    return revision;
  }

  /** The seq of the last message the directory's entry lists (0: none, or never sent). */
  directoryListedSeq(): number {
    return this.directoryListing().listedSeq;
  }

  private directoryListing(): DirectoryListing {
    const parsed = DirectoryListingSchema.safeParse(this.read("directory_revision"));
    return parsed.success ? parsed.data : { revision: 0, listedSeq: 0 };
  }

  /** Tokens issued before this moment (ms) are refused: an operator revoked them (0: none revoked). */
  tokensValidFrom(): number {
    const parsed = count.safeParse(this.read("tokens_valid_from"));
    return parsed.success ? parsed.data : 0;
  }

  setTokensValidFrom(at: number): void {
    this.write("tokens_valid_from", at);
  }

  /** Socket tickets already used, with their expiry (ms): each is accepted once (access.ts). */
  usedSocketTickets(): UsedTicket[] {
    const parsed = UsedTicketsSchema.safeParse(this.read("used_socket_tickets"));
    return parsed.success ? parsed.data : [];
  }

  setUsedSocketTickets(tickets: UsedTicket[]): void {
    this.write("used_socket_tickets", tickets);
  }

  private read(key: string): unknown {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row === undefined ? undefined : JSON.parse(row.value);
  }

  private write(key: string, value: unknown): void {
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }
}
