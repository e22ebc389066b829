/** Redaction of personal values in kept text and structured values (README: docs/privacy.md). */
export { botRedactionSettings, turnRedactionPolicy, type BotRedactionSettings } from "./bot-policy.ts";
export { maskOf, type Finding, type FindingKind } from "./findings.ts";
export { findSensitive, maskText, ownValuesOf, redactJson, redactSlots, redactText, type JsonValue, type Redaction, type RedactionPolicy } from "./redact.ts";
