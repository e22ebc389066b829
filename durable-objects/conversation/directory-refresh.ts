/**
 * When a conversation the bot is handling sends its entry to its bot's directory. Every change the
 * inbox acts on — created, handed off, given back, an agent's or a waiting user's message — is sent
 * at once; a bot's reply only refreshes the listed last message, so a reply is sent unless another
 * reply was sent less than `refreshMs` ago (the directory then lists an earlier message until the
 * next send). Each send is a row written in the bot's directory: a busy conversation costs at most
 * one per `refreshMs` there.
 */
export interface DirectoryRefreshHost {
  /** Sends the conversation's entry now (with its last message). */
  publish(): void;
  now(): number;
}

export class DirectoryRefresh {
  /** When a bot reply last sent the entry; unknown after a restart, so the next reply sends at once. */
  private lastReplySentAt: number | undefined;

  constructor(
    private readonly host: DirectoryRefreshHost,
    private readonly refreshMs: number,
  ) {}

  /** The entry must change now: sends it. */
  sendNow(): void {
    this.host.publish();
  }

  /** The bot replied: sends the entry unless it was sent less than `refreshMs` ago. */
  afterBotReply(): void {
    const now = this.host.now();
    if (this.lastReplySentAt === undefined || now - this.lastReplySentAt >= this.refreshMs) {
      this.lastReplySentAt = now;
      this.sendNow();
    }
  }
}
