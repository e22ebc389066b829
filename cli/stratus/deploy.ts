// `npx stratus deploy`: a deployment of Stratus as one command. It reads every wrangler.toml the
// project deploys, asks the account (through wrangler) which queues and secrets exist, creates the
// missing queues — each shard, its dead-letter queue, the jurisdictions' queues in their
// jurisdiction — sets the missing secrets (typed in, generated, or from a file), runs
// `npm run check`, and deploys the Workers in order (metrics, intent, gateway, dialogue). It is
// safe to run again: what exists is left alone. `--dry-run` prints exactly what it would create and
// run, and changes nothing.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { planDeployment, deploymentQueues, deploymentWorkers, type DeployPlan, type QueueSpec, type WorkerDeploy } from "../../devkit/deploy-plan.ts";
import { readCommittedConfigs } from "../../devkit/queue-shard-configs.ts";
import { CommandError, EXIT, PROJECT_ROOT, UsageError, parseCommandLine, type Command } from "./command.ts";
import { askHidden, confirm, isInteractive } from "./prompt.ts";
import { inParallel, readQueue, readSecretNames, runWrangler, wranglerError } from "./wrangler.ts";

const DEFAULT_SAVE = ".stratus/generated-secrets.env";

const usage = `Usage: npx stratus deploy [--dry-run] [--generate-secrets | --secrets-file FILE] [--skip-check] [--yes]

Deploys Stratus to the Cloudflare account wrangler is signed in to (\`npx wrangler login\`, or
CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID):
  1. reads wrangler.toml and workers/*/wrangler.toml, and asks the account which of the queues they
     name exist and which secrets the Workers have;
  2. asks for each missing secret (TOKEN_SECRET, OPERATOR_API_KEY, METRICS_TOKEN: every name in a
     config's [secrets] required) — type one, or press Enter to generate a random one;
  3. runs \`npm run check\` (type-check, lint, the queue shards agree, bundles without fault code);
  4. creates the missing queues: each shard and its dead-letter queue, a jurisdiction's queues in it;
  5. deploys the Workers in order — metrics, intent, gateway, dialogue — the gateway with its
     missing secrets.
Nothing that exists is changed, so running it again deploys the Workers and creates nothing.

  --dry-run             print what would be created and run, and change nothing
  --generate-secrets    generate every missing secret instead of asking
  --secrets-file FILE   take missing secrets from FILE: NAME=value lines, or a JSON object
  --save-generated FILE where generated secrets are written, readable by you only (default ${DEFAULT_SAVE},
                        git-ignored): the OPERATOR_API_KEY is the inbox's and \`npx stratus push\`'s key
  --skip-check          do not run \`npm run check\` (you just ran it)
  -y, --yes             do not ask before changing the account
  -h, --help            this help
`;

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);

function queueCreateArgs(queue: QueueSpec): string[] {
  return ["queues", "create", queue.name, ...(queue.jurisdiction ? ["--jurisdiction", queue.jurisdiction] : [])];
}

/** The commands the deployment runs, in order, as a person would type them. */
function plannedCommands(plan: DeployPlan, options: { skipCheck: boolean }): string[] {
  const secretsOf = (worker: WorkerDeploy) => plan.missingSecrets.find((missing) => missing.script === worker.script)?.names ?? [];
  return [
    ...(options.skipCheck ? [] : ["npm run check"]),
    ...plan.queues.create.map((queue) => `npx wrangler ${queueCreateArgs(queue).map(quote).join(" ")}`),
    ...plan.workers.map((worker) => {
      const secrets = secretsOf(worker);
      return `npx wrangler deploy -c ${worker.config}${secrets.length > 0 ? ` --secrets-file <a temporary file with ${secrets.join(", ")}>` : ""}`;
    }),
  ];
}

function printPlan(plan: DeployPlan, dryRun: boolean): void {
  const lines: string[] = [];
  const total = plan.queues.create.length + plan.queues.exist.length;
  lines.push(`Queues: ${total} named by the configs, ${plan.queues.exist.length} exist, ${plan.queues.create.length} to create`);
  const jurisdiction = (queue: QueueSpec) => (queue.jurisdiction ? ` (jurisdiction ${queue.jurisdiction})` : "");
  for (const queue of plan.queues.create) lines.push(`  + ${queue.name}${jurisdiction(queue)}`);
  for (const queue of plan.queues.exist) lines.push(`    ${queue.name}${jurisdiction(queue)}: exists`);
  const required = plan.workers.filter((worker) => worker.requiredSecrets.length > 0);
  lines.push(`Secrets: ${required.map((worker) => `${worker.script} requires ${worker.requiredSecrets.join(", ")}`).join("; ") || "none required"}`);
  for (const missing of plan.missingSecrets) lines.push(`  + ${missing.script}: ${missing.names.join(", ")} ${dryRun ? "would be asked for (or generated)" : "to set"}`);
  if (plan.missingSecrets.length === 0 && required.length > 0) lines.push("    all set");
  lines.push(`Workers, in order: ${plan.workers.map((worker) => `${worker.script} (${worker.config})`).join(", ")}`);
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** NAME=value lines (values optionally quoted) or a JSON object of strings. */
function readSecretsFile(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`--secrets-file: cannot read ${path}: ${(error as Error).message}`);
  }
  if (text.trimStart().startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--secrets-file: ${path} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Object.values(parsed).some((value) => typeof value !== "string")) throw new UsageError(`--secrets-file: ${path} must be an object of strings`);
    return new Map(Object.entries(parsed as Record<string, string>));
  }
  const values = new Map<string, string>();
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) throw new UsageError(`--secrets-file: ${path}:${index + 1} is not NAME=value`);
    const raw = match[2] ?? "";
    values.set(match[1] ?? "", /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw);
  }
  return values;
}

const generateSecret = () => randomBytes(32).toString("base64url");

interface SecretValues {
  /** Per Worker: every missing secret's value. */
  byScript: Map<string, Map<string, string>>;
  /** The names that were generated, per Worker (to save them for the operator). */
  generated: Array<{ script: string; name: string; value: string }>;
}

async function collectSecrets(plan: DeployPlan, options: { generate: boolean; file?: Map<string, string> }): Promise<SecretValues> {
  const values: SecretValues = { byScript: new Map(), generated: [] };
  const unanswered = plan.missingSecrets.flatMap(({ script, names }) => names.filter((name) => options.file?.get(name) === undefined).map((name) => `${script}: ${name}`));
  if (unanswered.length > 0 && !options.generate && !isInteractive()) {
    throw new CommandError(
      `missing secrets and no terminal to ask for them: ${unanswered.join(", ")}. ` +
        "Give --generate-secrets (random values, saved for you) or --secrets-file FILE. Nothing was changed.",
    );
  }
  for (const { script, names } of plan.missingSecrets) {
    const forScript = new Map<string, string>();
    for (const name of names) {
      let value = options.file?.get(name);
      if (value === undefined && !options.generate) value = await askHidden(`${name} for ${script} (Enter generates a random one): `);
      if (value === undefined || value === "") {
        value = generateSecret();
        values.generated.push({ script, name, value });
      }
      forScript.set(name, value);
    }
    values.byScript.set(script, forScript);
  }
  return values;
}

function saveGenerated(path: string, generated: SecretValues["generated"]): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const header = existsSync(path) ? "" : "# Secrets `npx stratus deploy` generated. Keep this file to yourself.\n";
  const account = process.env.CLOUDFLARE_ACCOUNT_ID ?? "wrangler's account";
  const lines = generated.map(({ script, name, value }) => `${name}="${value}"  # ${script}`);
  appendFileSync(path, `${header}# ${new Date().toISOString()}, account ${account}\n${lines.join("\n")}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export const deployCommand: Command = {
  name: "deploy",
  summary: "deploy Stratus",
  usage,
  async run(args) {
    const parsed = parseCommandLine(args, {
      "dry-run": { type: "boolean" },
      "generate-secrets": { type: "boolean" },
      "secrets-file": { type: "string" },
      "save-generated": { type: "string" },
      "skip-check": { type: "boolean" },
      yes: { type: "boolean", short: "y" },
    });
    if (parsed === undefined) {
      process.stdout.write(usage);
      return EXIT.ok;
    }
    const { values, positionals } = parsed;
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const dryRun = values["dry-run"] === true;
    const skipCheck = values["skip-check"] === true;
    const secretsFile = values["secrets-file"] === undefined ? undefined : readSecretsFile(resolve(values["secrets-file"]));
    const savePath = values["save-generated"] === undefined ? join(PROJECT_ROOT, DEFAULT_SAVE) : resolve(values["save-generated"]);

    const configs = readCommittedConfigs();
    const api = process.env.CLOUDFLARE_API_BASE_URL ? ` through ${process.env.CLOUDFLARE_API_BASE_URL}` : "";
    const account = process.env.CLOUDFLARE_ACCOUNT_ID ? `account ${process.env.CLOUDFLARE_ACCOUNT_ID}` : "the account wrangler is signed in to";
    process.stdout.write(`${dryRun ? "Dry run: nothing will be changed. " : ""}Reading ${account}${api}…\n`);
    const queues = deploymentQueues(configs);
    const found = await inParallel(queues, 4, (queue) => readQueue(queue.name));
    const existingQueues = new Map(queues.flatMap((queue, i) => (found[i] === undefined ? [] : [[queue.name, found[i]] as const])));
    const secrets = new Map<string, string[]>();
    for (const worker of deploymentWorkers(configs).filter((w) => w.requiredSecrets.length > 0)) {
      const names = await readSecretNames(worker.config, worker.script);
      if (names !== undefined) secrets.set(worker.script, names);
    }
    const plan = planDeployment(configs, { queues: existingQueues, secrets });
    printPlan(plan, dryRun);
    if (plan.problems.length > 0) throw new CommandError(`cannot deploy; nothing was changed:\n  ${plan.problems.join("\n  ")}`);
    const commands = plannedCommands(plan, { skipCheck });
    if (dryRun) {
      process.stdout.write(`\nWould run:\n${commands.map((command) => `  ${command}`).join("\n")}\n`);
      return EXIT.ok;
    }

    const secretValues = await collectSecrets(plan, { generate: values["generate-secrets"] === true, ...(secretsFile ? { file: secretsFile } : {}) });
    if (isInteractive() && values.yes !== true && !(await confirm(`\nRun:\n${commands.map((command) => `  ${command}`).join("\n")}\n?`))) {
      process.stdout.write("Nothing was changed.\n");
      return EXIT.failed;
    }

    if (!skipCheck) {
      process.stdout.write("\n── npm run check\n");
      const check = spawnSync("npm", ["run", "check"], { cwd: PROJECT_ROOT, stdio: "inherit" });
      if (check.status !== 0) throw new CommandError("npm run check failed: nothing was deployed");
    }
    for (const queue of plan.queues.create) {
      const run = await runWrangler(queueCreateArgs(queue));
      if (run.code !== 0) throw new CommandError(`could not create queue ${queue.name}: ${wranglerError(run)}`);
      process.stdout.write(`created queue ${queue.name}${queue.jurisdiction ? ` in jurisdiction ${queue.jurisdiction}` : ""}\n`);
    }
    // Saved before the deploys that set them: a deploy that fails half-way must not lose a key that is set.
    if (secretValues.generated.length > 0) saveGenerated(savePath, secretValues.generated);
    const urls: string[] = [];
    for (const worker of plan.workers) {
      const workerSecrets = secretValues.byScript.get(worker.script);
      const secretsDir = workerSecrets ? mkdtempSync(join(tmpdir(), "stratus-secrets-")) : undefined;
      try {
        const deployArgs = ["deploy", "-c", worker.config];
        if (secretsDir !== undefined && workerSecrets) {
          const file = join(secretsDir, "secrets.json");
          writeFileSync(file, JSON.stringify(Object.fromEntries(workerSecrets)), { mode: 0o600 });
          deployArgs.push("--secrets-file", file);
        }
        process.stdout.write(`\n── deploying ${worker.script} (${worker.config})${workerSecrets ? `, setting ${[...workerSecrets.keys()].join(", ")}` : ""}\n`);
        const run = await runWrangler(deployArgs, { echo: true });
        if (run.code !== 0) throw new CommandError(`deploying ${worker.script} failed: ${wranglerError(run)}. Fix it and run \`npx stratus deploy\` again: what exists is kept.`);
        urls.push(...(run.stdout.match(/https:\/\/\S+\.workers\.dev\b/g) ?? []));
      } finally {
        if (secretsDir !== undefined) rmSync(secretsDir, { recursive: true, force: true });
      }
    }
    const set = plan.missingSecrets.flatMap(({ names }) => names);
    process.stdout.write(
      `\nDeployed ${plan.workers.map((worker) => worker.script).join(", ")}. ` +
        `Created ${plan.queues.create.length === 0 ? "no queue" : `${plan.queues.create.length} queue(s)`}, set ${set.length === 0 ? "no secret" : set.join(", ")}.\n` +
        (urls.length > 0 ? `The gateway: ${[...new Set(urls)].join(", ")}\n` : "") +
        (secretValues.generated.length > 0
          ? `Generated ${secretValues.generated.map((secret) => secret.name).join(", ")}: saved in ${relative(process.cwd(), savePath) || savePath} (readable by you only).\n`
          : ""),
    );
    return EXIT.ok;
  },
};
