import type { BotDefinition, SlotDefinition } from "../../../../shared/schemas/bot.ts";
import type { BotReply, DialogueDecision, DialogueState, SlotValue } from "../../../../shared/schemas/dialogue.ts";
import type { Entity, Locale, NluResult } from "../../../../shared/schemas/nlu.ts";
import type { Effect } from "./effects.ts";
import type { FaqIndex } from "./faq/bm25.ts";
import type { FaqAnswer } from "./faq/index.ts";
import type { ReplyTextSink } from "./llm-completion.ts";
import type { KnowledgeIndex } from "../../../../shared/knowledge/search.ts";
import type { SlotCategories } from "./free-words.ts";

/** A validated bot plus what the engine derives from it once (the FAQ index and the documents' index per locale, the free-words indexes per slot). */
export interface Bot {
  definition: BotDefinition;
  faqIndex: Partial<Record<Locale, FaqIndex>>;
  /** The bot's documents (`knowledge:` in bot.yaml), precomputed by the build: empty without. */
  knowledge: Partial<Record<Locale, KnowledgeIndex>>;
  /** Enum slots with free-words examples, by slot name (free-words.ts). */
  slotCategories: Record<string, SlotCategories>;
  /** The slot remembered in each profile field (`remember: profile.<field>`, the first if several are), by field: how `{profile.<field>}` shows (profile-values.ts). */
  slotOfField: ReadonlyMap<string, SlotDefinition>;
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
  /**
   * Takes one LLM call from the turn's budgets (per conversation, per client address); false when
   * spent, and the bot answers with its own fallback instead. Absent: no budget (engine tests).
   */
  llmBudget?: (() => Promise<boolean>) | undefined;
  /**
   * fetch for the bot's backend actions only (not the LLM): the dialogue Worker's adds the signed
   * user assertion (shared/action-assertion.ts). Absent: `fetch`.
   */
  actionFetch?: typeof fetch | undefined;
  /**
   * Opens a stream for an LLM answer about to be written: its text goes to the conversation's
   * clients as it arrives (docs/streaming.md). Absent: the answer is asked for whole.
   */
  streamReply?: (() => ReplyTextSink) | undefined;
}

/** A value no one may write through (objects and arrays all the way down). */
export type DeepReadonly<T> = T extends (infer Item)[]
  ? ReadonlyArray<DeepReadonly<Item>>
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * What deciding modules read: the bot, the message, and the turn so far — the state and replies
 * with every effect applied up to now. Read-only: only apply.ts writes (see effects.ts); the bot's
 * definition is validated once per isolate and never written.
 */
export interface TurnView {
  readonly bot: Bot;
  /** The message. The state it came with is not here: `state` is the turn's current one. */
  readonly input: DeepReadonly<Omit<TurnInput, "state">>;
  /** The locale replies are in: the input's if the bot speaks it, else the bot's default. */
  readonly locale: Locale;
  readonly intent: string;
  readonly entities: DeepReadonly<Entity[]>;
  readonly state: DeepReadonly<DialogueState>;
  readonly replies: readonly BotReply[];
  /** Slots whose value changed this turn, with the value they had before. */
  readonly slotChanges: ReadonlyMap<string, DeepReadonly<SlotValue> | undefined>;
  /** The effects applied so far this turn, in order. */
  readonly effects: readonly Effect[];
  /** What `{env.NAME}` can read in this bot's templates: its declared, non-platform vars. */
  readonly env: ReadonlyMap<string, string>;
  /** The outside world: backend and LLM calls. */
  readonly io: {
    readonly fetch: typeof fetch;
    /** Backend actions' fetch (with the user assertion). */
    readonly actionFetch: typeof fetch;
    readonly llm: LlmConfig | undefined;
    readonly llmBudget: (() => Promise<boolean>) | undefined;
    readonly streamReply: (() => ReplyTextSink) | undefined;
  };
  /** Every FAQ entry matching the message, best first; searched once per turn, on first use. */
  faqMatches(): readonly FaqAnswer[];
}

/** The engine's answer for one turn: the decision the Worker hands on, and what happened in it. */
export interface TurnDecision extends DialogueDecision {
  /** Every effect applied this turn, in order (see effects.ts). */
  effects: readonly Effect[];
}
