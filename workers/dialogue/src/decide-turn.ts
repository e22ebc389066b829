import type { DialogueQueueMessage, DialogueResult } from "../../../shared/schemas/index.ts";
import { injectedFault } from "../../../shared/fault-injection.ts";
import { log } from "../../../shared/turn-log.ts";
import { getBot } from "./bots.ts";
import { decideTurn as runDialogueEngine } from "./engine/index.ts";

/** Decides the bot's replies for one understood turn and hands them to the conversation. */
export async function decideTurn(turn: DialogueQueueMessage, deliveryAttempt: number, env: DialogueEnv): Promise<void> {
  const fault = injectedFault(env.FAULT_INJECTION, "dialogue", turn.text, deliveryAttempt);
  if (fault) throw fault;
  const bot = getBot(turn.botId);
  if (!bot) throw new Error(`no bot definition for "${turn.botId}"`);
  const started = Date.now();
  const decision = await runDialogueEngine(
    bot,
    {
      conversationId: turn.conversationId,
      seq: turn.seq,
      text: turn.text,
      nlu: turn.nlu,
      state: turn.state,
      timezone: turn.timezone,
    },
    { fetch: (input, init) => fetch(input, init), env: stringVars(env) },
  );
  log("turn_decided", turn, { responses: decision.replies.map((r) => r.response), handoff: decision.handoff, ms: Date.now() - started });
  const result: DialogueResult = {
    ...decision,
    v: 1,
    conversationId: turn.conversationId,
    seq: turn.seq,
    attempt: turn.attempt,
    traceId: turn.traceId,
    nlu: turn.nlu,
  };
  const conversation = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(turn.conversationId));
  await conversation.applyDialogueResult(result);
}

/** The Worker's string vars and secrets, which bot actions may reference as `{env.NAME}`. */
function stringVars(env: DialogueEnv): Record<string, string | undefined> {
  const vars: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === "string") vars[name] = value;
  return vars;
}
