import type { AnalyticsReport, ConversationReports, DirectoryEntry } from "../../shared/schemas/index.ts";

/**
 * What the conversation reports about itself — analytics facts and directory entries — on its way
 * out. A turn the dialogue Worker answers hands its reports back with the result
 * (`capture`): the Worker sends those of its whole batch as one message, so a turn costs no queue
 * message and no object request of its own. Anything reported outside that path (a handoff by an
 * operator, an agent's message, a new conversation, the pipeline fallback) is sent by the object
 * itself, once the call that reported it has done its synchronous work (`send`).
 */
export class OutgoingReports {
  private reports: AnalyticsReport[] = [];
  private entries: DirectoryEntry[] = [];
  private capturing = 0;
  private flushScheduled = false;

  constructor(private readonly send: (message: ConversationReports) => void) {}

  report(report: AnalyticsReport): void {
    this.reports.push(report);
    this.scheduleFlush();
  }

  /** An entry replaces an earlier one of the same conversation still waiting: the directory keeps the newest anyway. */
  entry(entry: DirectoryEntry): void {
    this.entries = [...this.entries.filter((pending) => pending.id !== entry.id), entry];
    this.scheduleFlush();
  }

  /** Runs `work` and returns, with its value, what was reported meanwhile, for the caller to send. */
  async capture<T>(work: () => Promise<T>): Promise<{ value: T; reports: ConversationReports | undefined }> {
    this.capturing++;
    try {
      const value = await work();
      return { value, reports: this.take() };
    } finally {
      this.capturing--;
    }
  }

  private scheduleFlush(): void {
    if (this.capturing > 0 || this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      if (this.capturing > 0) return;
      const message = this.take();
      if (message) this.send(message);
    });
  }

  private take(): ConversationReports | undefined {
    if (this.reports.length === 0 && this.entries.length === 0) return undefined;
    const message: ConversationReports = { v: 2, reports: this.reports, entries: this.entries };
    this.reports = [];
    this.entries = [];
    return message;
  }
}
