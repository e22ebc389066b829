import type { Conversation } from "./types.ts";

/** A message the user wrote that the server has not acknowledged yet. */
export interface OutgoingMessage {
  clientMessageId: string;
  text: string;
}

/** What a client keeps to resume after a reload: the conversation and what was not yet sent. */
export interface SavedConversation {
  conversation: Conversation;
  outbox: OutgoingMessage[];
}

/**
 * Where the client keeps its conversation: the app's choice (memory, localStorage, React Native's
 * AsyncStorage, …). Methods may be synchronous or return promises.
 */
export interface ConversationStore {
  load(): SavedConversation | null | Promise<SavedConversation | null>;
  save(saved: SavedConversation): void | Promise<void>;
  clear(): void | Promise<void>;
}

/** Keeps the conversation for the life of the client object only. */
export function memoryStore(): ConversationStore {
  let saved: SavedConversation | null = null;
  return {
    load: () => saved,
    save: (next) => {
      saved = next;
    },
    clear: () => {
      saved = null;
    },
  };
}

/** The Web Storage methods the store uses (localStorage, sessionStorage, or a polyfill). */
export type WebStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/**
 * Keeps the conversation in `localStorage` under `key`, so a reload resumes it. A stored value this
 * version cannot read (edited by hand, an older format) counts as none.
 */
export function localStorageStore(key = "stratus:conversation", storage: WebStorage = globalThis.localStorage): ConversationStore {
  return {
    load() {
      const raw = storage.getItem(key);
      if (raw === null) return null;
      try {
        const value: unknown = JSON.parse(raw);
        return isSavedConversation(value) ? value : null;
      } catch {
        return null;
      }
    },
    save(saved) {
      storage.setItem(key, JSON.stringify(saved));
    },
    clear() {
      storage.removeItem(key);
    },
  };
}

/**
 * A structural check of what was read back: the SDK carries no schema library at run time, and
 * only the fields it relies on need to be there.
 */
function isSavedConversation(value: unknown): value is SavedConversation {
  if (typeof value !== "object" || value === null) return false;
  const { conversation, outbox } = value as { conversation?: Partial<Conversation>; outbox?: unknown };
  return (
    typeof conversation?.id === "string" &&
    typeof conversation.token === "string" &&
    // Saved before tokens expired: its token is no longer accepted, so it counts as none.
    typeof conversation.tokenExpiresAt === "string" &&
    typeof conversation.bot === "string" &&
    Array.isArray(outbox) &&
    outbox.every(
      (entry: Partial<OutgoingMessage> | null) =>
        typeof entry?.clientMessageId === "string" && typeof entry.text === "string",
    )
  );
}
