/**
 * When a conversation the bot is handling sends its entry to its bot's directory. Every change the
 * inbox acts on — created, handed off, given back, an agent's or a waiting user's message — is sent
 * at once by the object; a bot's reply only refreshes the listed last message, so a reply is sent at
 * once unless another reply was sent less than `refreshMs` ago. Then the entry is left behind the
 * transcript — the object stores which message each sent entry listed, so even an evicted object
 * knows — and caught up by the object's next alarm (the watchdog's, which fires TURN_TIMEOUT_MS after
 * the burst's last dispatch) or by the next send. One directory object per bot
 * would otherwise take a request and a row on every turn of every conversation of the bot: the
 * busiest object of a deployment (on a local stack, the throttle gave 16% more turns per second in bench:load).
 */
export interface DirectoryRefreshHost {
  /** Sends the conversation's entry now (with its last message). */
  publish(): void;
  /** Whether the last entry sent lists an earlier message than the transcript's last. */
  behind(): boolean;
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

  /** The object's alarm: an entry left behind catches up. */
  onAlarm(): void {
    if (this.host.behind()) this.sendNow();
  }
}
