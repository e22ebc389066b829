export * from "./catalog.ts";
export * from "./conversation.ts";
export * from "./dialogue.ts";
export * from "./nlu.ts";
export * from "./queue.ts";
export * from "./trace.ts";
