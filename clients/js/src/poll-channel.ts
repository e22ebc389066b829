import { backoffDelay, type BackoffOptions } from "./backoff.ts";
import type { ChannelState, LiveChannel } from "./live-channel.ts";

export interface PollChannelOptions {
  /** One round: fetch what is new. A rejection counts as a lost connection. */
  poll(): Promise<void>;
  intervalMs: number;
  backoff: BackoffOptions;
  onState(state: ChannelState): void;
}

/**
 * Polling for clients without WebSockets: one round every `intervalMs`, backing off with jitter
 * while rounds fail. Sends still get their replies at once (`POST …/messages?wait=`); the rounds
 * bring everything else (an agent's messages, another tab's).
 */
export class PollChannel implements LiveChannel {
  private generation = 0;
  private active = false;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: PollChannelOptions) {}

  start(): void {
    if (this.active) return;
    this.active = true;
    void this.run(++this.generation);
  }

  stop(): void {
    this.active = false;
    this.generation += 1;
    this.wakeUp?.();
  }

  wake(): void {
    this.wakeUp?.();
  }

  private async run(generation: number): Promise<void> {
    let attempt = 0;
    this.options.onState("connecting");
    while (generation === this.generation) {
      let delay: number;
      try {
        await this.options.poll();
        if (generation !== this.generation) break;
        attempt = 0;
        this.options.onState("connected");
        delay = this.options.intervalMs;
      } catch {
        if (generation !== this.generation) break;
        this.options.onState("reconnecting");
        delay = backoffDelay(attempt++, this.options.backoff);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }
}
