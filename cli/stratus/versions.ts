// `npx stratus versions <bot>`: GET /v1/bots/{bot}/versions — a bot's published versions, newest
// first, with the current one and the canary (what `push` published and `release` chose).
import { BotVersionListSchema } from "../../shared/schemas/bot-versions.ts";
import { botIdProblem } from "../../devkit/bots/scaffold.ts";
import { EXIT, UsageError, parseCommandLine, type Command } from "./command.ts";
import { DEPLOYMENT_OPTIONS, DEPLOYMENT_USAGE, describeError, expectBody, operatorRequest, resolveDeployment } from "./operator-api.ts";

const usage = `Usage: npx stratus versions <bot> [--url URL]

Lists the bot's versions on a deployment, newest first: when each was published, its note, its
size, which one is current and which is the canary. Version 1 is the bot the deployment was built with.

${DEPLOYMENT_USAGE}
  -h, --help       this help
`;

export const versionsCommand: Command = {
  name: "versions",
  summary: "list a bot's published versions",
  usage,
  async run(args) {
    const parsed = parseCommandLine(args, { ...DEPLOYMENT_OPTIONS });
    if (parsed === undefined) {
      process.stdout.write(usage);
      return EXIT.ok;
    }
    const [bot, ...extra] = parsed.positionals;
    if (bot === undefined) throw new UsageError("name the bot");
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const idProblem = botIdProblem(bot);
    if (idProblem !== undefined) throw new UsageError(idProblem);
    const deployment = resolveDeployment(parsed.values);
    const answer = await operatorRequest(deployment, "GET", `/v1/bots/${bot}/versions`);
    if (answer.status !== 200) {
      process.stderr.write(`${describeError(answer, deployment, `versions ${bot}`)}\n`);
      return EXIT.failed;
    }
    const list = expectBody(answer, BotVersionListSchema, `versions ${bot}`);
    const lines = list.versions.map((one) => {
      const role = one.current ? "current" : one.canaryPercent !== null ? `canary ${one.canaryPercent}%` : "";
      const when = one.builtIn ? "built in" : (one.createdAt ?? "").replace("T", " ").slice(0, 16);
      const size = one.builtIn ? "" : `${(one.storedBytes / 1024).toFixed(0)} KiB`;
      return `${String(one.version).padStart(4)}  ${role.padEnd(12)} ${when.padEnd(16)} ${size.padStart(8)}  ${one.hash.slice(0, 12)}  ${one.note ?? ""}`.trimEnd();
    });
    process.stdout.write(`${bot} on ${deployment.url}\n${lines.join("\n")}\n`);
    return EXIT.ok;
  },
};
