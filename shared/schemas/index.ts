export * from "./catalog.ts";
export * from "./conversation.ts";
export * from "./dead-letters.ts";
export * from "./dialogue.ts";
export * from "./nlu.ts";
export * from "./queue.ts";
export * from "./query.ts";
export * from "./text.ts";
