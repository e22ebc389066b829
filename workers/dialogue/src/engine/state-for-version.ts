import type { DialogueState } from "../../../../shared/schemas/index.ts";
import type { BotDefinition } from "../../../../shared/schemas/bot.ts";

/**
 * The dialogue state as the conversation's version can run it. An operator may move a running
 * conversation to another version (`POST /v1/conversations/{id}/migrate`): its slots and history go
 * along, but a form that version does not have cannot go on, so it is left; the turn is then read
 * as if no form were open. Every other state is returned as it is.
 */
export function stateForVersion(state: DialogueState, definition: Pick<BotDefinition, "forms">): DialogueState {
  const active = state.activeForm;
  if (active === null || definition.forms[active.name] !== undefined) return state;
  return { ...state, activeForm: null };
}
