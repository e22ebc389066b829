export * from "./analytics.ts";
export * from "./catalog.ts";
export * from "./conversation.ts";
export * from "./dialogue.ts";
export * from "./nlu.ts";
export * from "./queue.ts";
export * from "./residency.ts";
export * from "./trace.ts";
