import type { ReleaseState } from "../../shared/schemas/bot-versions.ts";

/**
 * The release after an operator's `POST /v1/bots/{bot}/release`:
 *  - `{ version }`: it becomes current, every new conversation starts on it, and a canary ends
 *    (rolling back is releasing an older version this way);
 *  - `{ version, percent }`: it becomes the canary for `percent` % of new conversations, the current
 *    version keeps the rest. A canary of 0 %, or of the current version itself, is no canary.
 */
export function nextRelease(now: ReleaseState, request: { version: number; percent?: number | undefined }): ReleaseState {
  if (request.percent === undefined) return { current: request.version, canary: null };
  if (request.percent === 0 || request.version === now.current) return { current: now.current, canary: null };
  return { current: now.current, canary: { version: request.version, percent: request.percent } };
}
