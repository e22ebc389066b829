import type { BotDefinition } from "../../../../shared/schemas/bot.ts";
import type { BotReply, DialogueState } from "../../../../shared/schemas/dialogue.ts";
import type { Entity, Locale, NluResult } from "../../../../shared/schemas/nlu.ts";
import type { FaqIndex } from "./faq/bm25.ts";
import type { FaqAnswer } from "./faq/index.ts";

/** A validated bot plus what the engine derives from it once (the FAQ index per locale). */
export interface Bot {
  definition: BotDefinition;
  faqIndex: Partial<Record<Locale, FaqIndex>>;
}

export interface TurnInput {
  conversationId: string;
  seq: number;
  text: string;
  nlu: NluResult;
  state: DialogueState;
  /** IANA time zone of the conversation, for dates in replies. */
  timezone: string;
}

/** The LLM fallback's endpoint: the dialogue Worker's LLM_* settings, parsed by src/config.ts. */
export interface LlmConfig {
  /** An OpenAI-compatible API base, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  apiKey: string;
  model: string;
}

export interface EngineDeps {
  fetch: typeof fetch;
  /**
   * Vars that bot actions may read as `{env.NAME}`. A bot sees only the names it declares in
   * `env:` and never a platform setting (see bot-env.ts).
   */
  env: Readonly<Record<string, string | undefined>>;
  /** Absent: the LLM fallback is off. */
  llm?: LlmConfig | undefined;
}

/** Everything one turn reads and writes; the state is a private copy, returned in the decision. */
export interface TurnContext {
  bot: Bot;
  input: TurnInput;
  deps: EngineDeps;
  /** What `{env.NAME}` can read in this bot's templates: its declared, non-platform vars. */
  env: ReadonlyMap<string, string>;
  /** The locale replies are in: the input's if the bot speaks it, else the bot's default. */
  locale: Locale;
  intent: string;
  entities: Entity[];
  state: DialogueState;
  replies: BotReply[];
  handoff: boolean;
  /** Slots whose value entities changed this turn, with the value they had before. */
  slotChanges: Map<string, DialogueState["slots"][string] | undefined>;
  /** Guards against forms whose `then` starts another form endlessly. */
  depth: number;
  /** The FAQ search for this turn's message, all matches best first; see faqMatches(). */
  faqMatches?: FaqAnswer[];
}
