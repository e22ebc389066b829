// Where the pipeline benchmarks put their figures: bench/results/NAME.json and NAME.md.
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";

/** The machine a figure was measured on, written next to every figure. */
export function machineDescription(): string {
  return `${cpus().length} cores, ${cpus()[0]?.model ?? "unknown cpu"}, Node ${process.version}`;
}

/**
 * Prints the figures (as a table, or the report itself where the figures nest) and writes them to
 * bench/results/NAME.json and NAME.md.
 */
export function writeBenchResults(name: string, result: Record<string, unknown>, markdown: string, print: "table" | "markdown" = "table"): void {
  if (print === "table") console.table([result]);
  else console.log(`\n${markdown}`);
  writeFileSync(`bench/results/${name}.json`, JSON.stringify(result, null, 2) + "\n");
  writeFileSync(`bench/results/${name}.md`, markdown);
}
