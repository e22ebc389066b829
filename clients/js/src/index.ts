/**
 * @stratus/client — talk to a Stratus bot from a browser, Node 22+ or React Native. Needs only the
 * platform's `fetch` and `WebSocket`.
 *
 *   const client = new StratusClient({ baseUrl: "https://chat.example.com", store: localStorageStore() });
 *   client.on("message", (message) => render(message));
 *   await client.start();
 *   client.send("where is my order ORD-4820193?");
 */
export { StratusClient, type ConnectionStatus, type StratusClientEvents, type StratusClientOptions, type Transport } from "./client.ts";
export { StratusApi, type CreateConversationInput, type PostedMessage } from "./api.ts";
export { StratusError } from "./errors.ts";
export type { StreamingReply } from "./reply-streams.ts";
export { localStorageStore, memoryStore, type ConversationStore, type OutgoingMessage, type SavedConversation, type WebStorage } from "./storage.ts";
export { backoffDelay, type BackoffOptions } from "./backoff.ts";
export type { SocketConstructor, SocketLike } from "./socket-channel.ts";
export type * from "./types.ts";
