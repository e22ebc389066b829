// `npx stratus push <bot>`: publishes bots/<bot>/ as a new version to a deployment —
// `PUT /v1/bots/{bot}` with the folder as one YAML document (devkit/bots/bot-document.ts), after
// checking it locally exactly as `npm run validate` does, so a bad bot is refused before it is sent.
import { basename, join, resolve } from "node:path";
import { botDocumentText, readBotDocument } from "../../devkit/bots/bot-document.ts";
import { BOT_DOCUMENT_MEDIA_TYPE, PublishedBotSchema } from "../../shared/schemas/bot-versions.ts";
import { botIdProblem } from "../../devkit/bots/scaffold.ts";
import { CommandError, EXIT, PROJECT_ROOT, UsageError, parseCommandLine, type Command } from "./command.ts";
import { DEPLOYMENT_OPTIONS, DEPLOYMENT_USAGE, describeError, expectBody, operatorRequest, resolveDeployment } from "./operator-api.ts";

const usage = `Usage: npx stratus push <bot> [--note TEXT] [--dir DIR] [--url URL] [--dry-run]

Publishes bots/<bot>/ (bot.yaml, nlu.yaml, faq.yaml, its help documents, tests/*.yaml) as a new
version of the bot: PUT /v1/bots/<bot> with the files as one YAML document. The bot is checked first
as \`npm run validate\` checks it; a bot with problems is not sent. The deployment checks it again,
trains its NLU and answers the version, or every problem it found (exit 1). A document it already
has answers the version that holds it. A new version serves no conversation until it is released:
\`npx stratus release <bot> --version V\`.

  --note TEXT      a note kept with the version (who changed what, and why)
  --dir DIR        publish the bot folder DIR instead of bots/<bot>/ (its name must be <bot>)
${DEPLOYMENT_USAGE}
  --dry-run        print the document that would be sent, and send nothing
  -h, --help       this help
`;

export const pushCommand: Command = {
  name: "push",
  summary: "publish a bot version",
  usage,
  async run(args) {
    const parsed = parseCommandLine(args, { ...DEPLOYMENT_OPTIONS, note: { type: "string" }, dir: { type: "string" }, "dry-run": { type: "boolean" } });
    if (parsed === undefined) {
      process.stdout.write(usage);
      return EXIT.ok;
    }
    const [bot, ...extra] = parsed.positionals;
    if (bot === undefined) throw new UsageError("name the bot to publish");
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const idProblem = botIdProblem(bot);
    if (idProblem !== undefined) throw new UsageError(idProblem);
    const dir = parsed.values.dir === undefined ? join(PROJECT_ROOT, "bots", bot) : resolve(parsed.values.dir);
    if (basename(dir) !== bot) throw new UsageError(`--dir: the folder's name is the bot's id: ${bot}, not ${basename(dir)}`);
    const shown = parsed.values.dir ?? `bots/${bot}`;
    const { document, errors } = readBotDocument(dir, parsed.values.dir === undefined ? PROJECT_ROOT : resolve(dir, "..", ".."));
    if (document === undefined) throw new CommandError(`${shown} was not sent: it has problems (npm run validate):\n  ${errors.join("\n  ")}`);
    const text = botDocumentText(document);
    if (parsed.values["dry-run"] === true) {
      process.stdout.write(text);
      return EXIT.ok;
    }
    const deployment = resolveDeployment(parsed.values);
    const note = parsed.values.note;
    const path = `/v1/bots/${bot}${note !== undefined ? `?note=${encodeURIComponent(note)}` : ""}`;
    const answer = await operatorRequest(deployment, "PUT", path, { type: BOT_DOCUMENT_MEDIA_TYPE, text });
    if (answer.status !== 201 && answer.status !== 200) {
      process.stderr.write(`${describeError(answer, deployment, `push ${bot}`)}\n`);
      return EXIT.failed;
    }
    const { version, storedBytes, trainingMs, publishMs } = expectBody(answer, PublishedBotSchema, `push ${bot}`);
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    process.stdout.write(
      (answer.status === 200
        ? `${bot}: version ${version} on ${deployment.url} already holds this bot; nothing new was published.\n`
        : `Published ${bot} version ${version} to ${deployment.url}: ${kib(Buffer.byteLength(text))} sent, NLU trained in ${(trainingMs / 1000).toFixed(1)} s, ` +
          `${kib(storedBytes)} stored, ${(publishMs / 1000).toFixed(1)} s in all.\n`) +
        `Release it:  npx stratus release ${bot} --version ${version}            (every new conversation)\n` +
        `   or try it: npx stratus release ${bot} --version ${version} --percent 10 (a canary)\n`,
    );
    return EXIT.ok;
  },
};
