// Questions to the person at the terminal: a yes/no, and a secret typed without being shown.
// Only for an interactive terminal: a piped stdin is never read for answers.
import { createInterface } from "node:readline/promises";
import { CommandError } from "./command.ts";

export const isInteractive = (): boolean => process.stdin.isTTY && process.stdout.isTTY;

export async function confirm(question: string): Promise<boolean> {
  const lines = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await lines.question(`${question} [y/N] `)).trim());
  } finally {
    lines.close();
  }
}

/** A line typed without echo (a secret); Ctrl-C aborts. */
export function askHidden(question: string): Promise<string> {
  const input = process.stdin;
  process.stdout.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let typed = "";
    const done = (result: () => void) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stdout.write("\n");
      result();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return done(() => resolve(typed));
        if (char === "\u0003") return done(() => reject(new CommandError("stopped: nothing was changed after this point")));
        if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
        else if (char >= " ") typed += char;
      }
    };
    input.on("data", onData);
  });
}
