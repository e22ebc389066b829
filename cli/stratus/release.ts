// `npx stratus release <bot> --version V [--percent P]`: `POST /v1/bots/{bot}/release` — makes a
// published version the one new conversations start on, or with --percent a canary for that share
// of them. Rolling back is releasing an older version. Running conversations keep their version.
import { ReleaseBodySchema, ReleasedSchema, type ReleaseBody } from "../../shared/schemas/bot-versions.ts";
import { botIdProblem } from "../../devkit/bots/scaffold.ts";
import { EXIT, UsageError, parseCommandLine, type Command } from "./command.ts";
import { DEPLOYMENT_OPTIONS, DEPLOYMENT_USAGE, describeError, expectBody, operatorRequest, resolveDeployment } from "./operator-api.ts";

const usage = `Usage: npx stratus release <bot> --version V [--percent P] [--url URL]

Releases a published version of the bot (POST /v1/bots/<bot>/release). Without --percent it becomes
the current version: every new conversation starts on it. With --percent it is a canary: that share
of new conversations (chosen by conversation id, so a conversation keeps its choice) starts on it,
the others on the current version. Rolling back is releasing an older version. A conversation keeps
the version it started on.

  --version V      the version \`npx stratus push\` printed
  --percent P      a canary for P % of new conversations (0–100)
${DEPLOYMENT_USAGE}
  -h, --help       this help
`;

export const releaseCommand: Command = {
  name: "release",
  summary: "release a bot version",
  usage,
  async run(args) {
    const parsed = parseCommandLine(args, { ...DEPLOYMENT_OPTIONS, version: { type: "string" }, percent: { type: "string" } });
    if (parsed === undefined) {
      process.stdout.write(usage);
      return EXIT.ok;
    }
    const [bot, ...extra] = parsed.positionals;
    if (bot === undefined) throw new UsageError("name the bot to release");
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const idProblem = botIdProblem(bot);
    if (idProblem !== undefined) throw new UsageError(idProblem);
    const { version, percent } = parsed.values;
    if (version === undefined || version === "") throw new UsageError("--version is required");
    const percentValue = percent === undefined ? undefined : Number(percent);
    if (percentValue !== undefined && !(percent !== "" && percentValue >= 0 && percentValue <= 100)) throw new UsageError(`--percent must be from 0 to 100, not "${percent}"`);
    // A version the server numbered goes back as a number; a content hash as text.
    const body: ReleaseBody = ReleaseBodySchema.parse({ version: /^[1-9]\d{0,14}$/.test(version) ? Number(version) : version, ...(percentValue !== undefined ? { percent: percentValue } : {}) });
    const deployment = resolveDeployment(parsed.values);
    const answer = await operatorRequest(deployment, "POST", `/v1/bots/${bot}/release`, { type: "application/json", text: JSON.stringify(body) });
    if (answer.status < 200 || answer.status > 299) {
      process.stderr.write(`${describeError(answer, deployment, `release ${bot}`)}\n`);
      return EXIT.failed;
    }
    // What the deployment says now (a canary of the current version, or of 0 %, is no canary).
    const released = expectBody(answer, ReleasedSchema, `release ${bot}`);
    process.stdout.write(
      released.canary === null
        ? `${bot}: version ${released.current} is current on ${deployment.url}: new conversations start on it (no canary).\n`
        : `${bot}: version ${released.canary.version} is the canary for ${released.canary.percent}% of new conversations on ${deployment.url}; the others start on version ${released.current}.\n`,
    );
    return EXIT.ok;
  },
};
