// The held-out dialogue set (bench/dialogue-holdout/<botId>/*.yaml): reading it, replaying each
// conversation against a running Stratus, scoring it. `npm run bench:dialogue` (bench/dialogue.ts)
// reports the scores. Nothing that trains or tests a bot reads this folder.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { HoldoutConversation, HoldoutPath } from "../../shared/schemas/dialogue-holdout.ts";
import { HoldoutConversationFileSchema } from "../../shared/schemas/dialogue-holdout.ts";
import type { Locale } from "../../shared/schemas/nlu.ts";
import type { Stratus } from "../local-stack.ts";
import { signDevUserToken } from "../user-tokens.ts";
import { checkSlots, checkTurn } from "./conversation-runner.ts";
import { turnReferenceProblems } from "./conversation-tests.ts";
import { formatIssue, readYaml, type LoadedBot } from "./load-bots.ts";

export const HOLDOUT_DIR = "bench/dialogue-holdout";
/**
 * The development set: conversations in the same format, written apart from the held-out set to
 * tune the dialogue mechanisms on (`npm run bench:dialogue -- --dir bench/dialogue-dev`); the
 * held-out set is only the final check.
 */
export const DEV_DIR = "bench/dialogue-dev";
/**
 * Held-out sets that were measured (issue #21) and then retired: their misses are known, so they are
 * development data now (`--dir bench/dialogue-holdout-<n>`, results in dialogue-holdout-<n>.{json,md}
 * unless `--name` says otherwise). The first was run several times, the others once each (the ninth,
 * eleventh, thirteenth, fifteenth and seventeenth were written at the same time as the eighth, tenth,
 * twelfth, fourteenth and sixteenth, and run once beside them); HOLDOUT_DIR holds the sixteenth,
 * written after them, apart from them and from the development set.
 */
export const RETIRED_HOLDOUT_DIRS = [
  "bench/dialogue-holdout-1",
  "bench/dialogue-holdout-2",
  "bench/dialogue-holdout-3",
  "bench/dialogue-holdout-4",
  "bench/dialogue-holdout-5",
  "bench/dialogue-holdout-6",
  "bench/dialogue-holdout-7",
  "bench/dialogue-holdout-8",
  "bench/dialogue-holdout-9",
  "bench/dialogue-holdout-10",
  "bench/dialogue-holdout-11",
  "bench/dialogue-holdout-12",
  "bench/dialogue-holdout-13",
  "bench/dialogue-holdout-14",
  "bench/dialogue-holdout-15",
  "bench/dialogue-holdout-17",
] as const;

export interface HoldoutCase {
  botId: string;
  file: string;
  conversation: HoldoutConversation;
  handoffResponse: string;
  /** The signed-in user the conversation is started for (the file's `user`); absent: anonymous. */
  user?: string | undefined;
}

export interface HoldoutLoad {
  cases: HoldoutCase[];
  /** The files cannot be used: a schema problem, a bot that does not exist. */
  errors: string[];
  /**
   * Expectations naming a response, FAQ entry or intent the bot does not have (yet): a held-out set
   * may be written before the bot can do what it asks. Those turns are replayed and fail.
   */
  warnings: string[];
}

/** Every conversation of <dir>/<botId>/*.yaml (by default the held-out set), for the bots given. */
export function loadHoldoutConversations(bots: readonly LoadedBot[], root: string, dir = HOLDOUT_DIR): HoldoutLoad {
  const load: HoldoutLoad = { cases: [], errors: [], warnings: [] };
  const base = join(root, dir);
  if (!existsSync(base)) return { ...load, errors: [`${dir}: missing`] };
  const byId = new Map(bots.map((bot) => [bot.id, bot]));
  for (const botId of readdirSync(base).sort()) {
    const botDir = join(base, botId);
    if (!statSync(botDir).isDirectory()) continue;
    const bot = byId.get(botId);
    if (!bot) {
      load.errors.push(`${relative(root, botDir)}: no bot "${botId}" in bots/`);
      continue;
    }
    for (const name of readdirSync(botDir).filter((file) => /\.ya?ml$/.test(file)).sort()) {
      const file = relative(root, join(botDir, name));
      const raw = readYaml(join(botDir, name), root, load.errors);
      if (raw === undefined) continue;
      const parsed = HoldoutConversationFileSchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) load.errors.push(formatIssue(file, issue.path, issue.message));
        continue;
      }
      parsed.data.conversations.forEach((conversation, i) => {
        if (!bot.definition.locales.includes(conversation.language)) {
          load.errors.push(`${file}: conversations[${i}].language: the bot does not speak "${conversation.language}"`);
        }
        conversation.turns.forEach((turn, j) => {
          for (const problem of turnReferenceProblems(bot, turn, `${file}: conversations[${i}].turns[${j}]`, j === conversation.turns.length - 1)) {
            (problem.includes(".handoff:") ? load.errors : load.warnings).push(problem);
          }
        });
        load.cases.push({ botId, file, conversation, handoffResponse: bot.definition.handoff.response, user: parsed.data.user });
      });
    }
  }
  return load;
}

/** `{ userToken }` for a signed-in conversation (signed as the host site would), nothing for an anonymous one. */
async function userTokenFor(user: string | undefined): Promise<{ userToken?: string }> {
  return user === undefined ? {} : { userToken: await signDevUserToken({ sub: user }) };
}

export interface TurnScore {
  user: string;
  right: boolean;
  /** What the turn got wrong (empty when right). */
  problems: string[];
}

export interface ConversationScore {
  botId: string;
  file: string;
  name: string;
  language: Locale;
  tags: HoldoutPath[];
  /** Every turn right. */
  right: boolean;
  turns: TurnScore[];
}

/**
 * Replays one conversation as a new one (its locale detected per message, as a user's would be) and
 * scores every turn, going on after a wrong turn: the turns after it still count, as they would for a
 * user who carried on. An error (no reply in time) ends the conversation and fails its remaining turns.
 */
export async function replayHoldoutConversation(stratus: Stratus, holdout: HoldoutCase): Promise<ConversationScore> {
  const { conversation } = holdout;
  const turns: TurnScore[] = [];
  try {
    const handle = await stratus.createConversation({ bot: holdout.botId, ...(await userTokenFor(holdout.user)) });
    for (const turn of conversation.turns) {
      const { replies } = await stratus.say(handle, turn.user);
      const problems = checkTurn(turn, replies, holdout.handoffResponse);
      if (turn.slots) problems.push(...checkSlots(turn.slots, (await stratus.dialogueState(handle)).slots));
      turns.push({ user: turn.user, right: problems.length === 0, problems });
    }
  } catch (error) {
    for (const turn of conversation.turns.slice(turns.length)) {
      turns.push({ user: turn.user, right: false, problems: [`error: ${(error as Error).message}`] });
    }
  }
  return {
    botId: holdout.botId,
    file: holdout.file,
    name: conversation.name,
    language: conversation.language,
    tags: conversation.tags,
    right: turns.every((turn) => turn.right),
    turns,
  };
}

export interface Tally {
  conversations: number;
  conversationsRight: number;
  turns: number;
  turnsRight: number;
}

export function tally(scores: readonly ConversationScore[]): Tally {
  return {
    conversations: scores.length,
    conversationsRight: scores.filter((score) => score.right).length,
    turns: scores.reduce((sum, score) => sum + score.turns.length, 0),
    turnsRight: scores.reduce((sum, score) => sum + score.turns.filter((turn) => turn.right).length, 0),
  };
}

/** Scores grouped by a key, in first-seen order. */
export function groupScores(scores: readonly ConversationScore[], keys: (score: ConversationScore) => string[]): Map<string, Tally> {
  const groups = new Map<string, ConversationScore[]>();
  for (const score of scores) {
    for (const key of keys(score)) groups.set(key, [...(groups.get(key) ?? []), score]);
  }
  return new Map([...groups].map(([key, group]) => [key, tally(group)]));
}
