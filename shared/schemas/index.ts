export * from "./catalog";
export * from "./conversation";
export * from "./dialogue";
export * from "./nlu";
export * from "./queue";
