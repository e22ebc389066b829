// CPU time of each Worker isolate, from V8's own CPU profiler through workerd's inspector.
// workerd's trace events carry cpuTime = 0 when run locally, so the profiler is the local measure
// of what Cloudflare bills as CPU time: the sampler runs only while an isolate executes, and each
// sample stands for one sampling interval of execution.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";

const SAMPLING_INTERVAL_US = 100;

/** Processes started by `pid`, at any depth. */
export function descendants(pid: number): number[] {
  const table = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of table) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

interface InspectorTarget {
  id: string;
  webSocketDebuggerUrl: string;
}

/**
 * workerd's own inspector (one target per Worker, `core:user:<name>`), found among the ports the
 * workerd under `wranglerPid` listens on: wrangler's inspector proxy shows only the primary Worker.
 */
export async function findWorkerInspectorTargets(wranglerPid: number): Promise<InspectorTarget[]> {
  const pids = new Set(descendants(wranglerPid));
  const sockets = execFileSync("ss", ["-ltnpH"], { encoding: "utf8" });
  for (const line of sockets.split("\n")) {
    const match = /127\.0\.0\.1:(\d+)\s.*pid=(\d+)/.exec(line);
    if (!match || !pids.has(Number(match[2]))) continue;
    const text = await fetch(`http://127.0.0.1:${match[1]}/json`, { signal: AbortSignal.timeout(2000) }).then((r) => r.text(), () => "");
    let targets: unknown;
    try {
      targets = JSON.parse(text);
    } catch {
      continue;
    }
    if (Array.isArray(targets) && targets.some((t: InspectorTarget) => t.id.startsWith("core:user:"))) return targets as InspectorTarget[];
  }
  throw new Error("workerd's inspector was not found (is `ss` installed?)");
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** A function's own CPU time in a profile (its callees' not included). */
export interface HotFunction {
  name: string;
  /** Where it is: its source module (from the bundle's esbuild comments) and the bundle's line, or the bundle's file and line. */
  at: string;
  selfMs: number;
}

/**
 * The source module of each line of a bundle wrangler wrote: esbuild starts each module of a
 * bundle that is not minified with a `// path/of/module.ts` comment.
 */
export function bundleModules(bundle: string): (line: number) => string | undefined {
  const starts: Array<{ line: number; module: string }> = [];
  bundle.split("\n").forEach((text, index) => {
    const marker = /^\/\/ (\S+\.(?:[cm]?[jt]s|json))$/.exec(text);
    if (!marker) return;
    const path = marker[1]!;
    const root = path.search(/(^|\/)(workers|durable-objects|shared|bench|node_modules|generated|devkit)\//);
    starts.push({ line: index, module: root >= 0 ? path.slice(root).replace(/^\//, "") : path.replace(/^(\.\.\/)+/, "") });
  });
  return (line) => {
    let found: string | undefined;
    for (const start of starts) {
      if (start.line > line) break;
      found = start.module;
    }
    return found;
  };
}

const moduleMaps = new Map<string, ((line: number) => string | undefined) | null>();
/** Folders wrangler wrote its bundles in (`<config dir>/.wrangler/tmp/dev-*`): where a frame's script is looked for. */
const bundleFolders: string[] = [];

/** Lets the profiles name the source module of each frame of the bundles wrangler wrote for configs in `configDir`. */
export function findBundlesUnder(configDir: string): void {
  const tmp = join(configDir, ".wrangler", "tmp");
  if (!existsSync(tmp)) return;
  for (const entry of readdirSync(tmp)) bundleFolders.push(join(tmp, entry));
}

/** The module map of a profile frame's script, when the script is a bundle on this machine. */
function moduleOf(url: string, line: number): string | undefined {
  if (!url) return undefined;
  if (!moduleMaps.has(url)) {
    let map: ((line: number) => string | undefined) | null = null;
    try {
      const direct = url.startsWith("file://") ? fileURLToPath(url) : url;
      const path = isAbsolute(direct) ? direct : bundleFolders.map((folder) => join(folder, url)).find((candidate) => existsSync(candidate));
      if (path && existsSync(path)) map = bundleModules(readFileSync(path, "utf8"));
    } catch {
      map = null;
    }
    moduleMaps.set(url, map);
  }
  return moduleMaps.get(url)?.(line);
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A running CPU profile of one Worker isolate. */
export class IsolateProfiler {
  private nextId = 0;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private readonly socket: WebSocket;
  private readonly name: string;

  private constructor(socket: WebSocket, name: string) {
    this.socket = socket;
    this.name = name;
    socket.on("message", (data: Buffer) => {
      const message = JSON.parse(data.toString("utf8")) as { id?: number; result?: unknown };
      if (message.id !== undefined) this.pending.get(message.id)?.(message.result);
    });
  }

  /**
   * A profiler for the isolate. workerd's inspector does not always answer a new session (seen with
   * several Workers in one process), so a silent session is dropped and another one opened.
   */
  static async connect(target: InspectorTarget, attempts = 6): Promise<IsolateProfiler> {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const profiler = await IsolateProfiler.tryConnect(target);
      if (profiler) return profiler;
    }
    throw new Error(`workerd's inspector did not answer for ${target.id} after ${attempts} sessions; run the benchmark again`);
  }

  private static async tryConnect(target: InspectorTarget): Promise<IsolateProfiler | null> {
    // Without compression: workerd's inspector does not take permessage-deflate frames.
    const socket = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false });
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", () => reject(new Error(`cannot connect to ${target.id}`)));
    });
    const profiler = new IsolateProfiler(socket, target.id);
    try {
      await profiler.call("Profiler.enable", {}, 5_000);
      await profiler.call("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US }, 5_000);
    } catch {
      socket.close();
      return null;
    }
    return profiler;
  }

  private call(method: string, params: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<unknown> {
    const id = ++this.nextId;
    const reply = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, resolve);
      setTimeout(() => reject(new Error(`inspector of ${this.name}: ${method} timed out`)), timeoutMs).unref();
    });
    this.socket.send(JSON.stringify({ id, method, params }));
    return reply;
  }

  start(): Promise<unknown> {
    return this.call("Profiler.start");
  }

  /** Stops the profile: CPU milliseconds the isolate executed since start(). */
  async stop(): Promise<number> {
    return (await this.stopWithHotFunctions(0)).cpuMs;
  }

  /**
   * Stops the profile: CPU milliseconds since start(), and the `top` functions by their own time.
   * Left out of both and added up in `excludedMs`: samples with a frame of an `excluded.anywhere`
   * module anywhere in their stack (a benchmark's counting code, and what it calls), and samples
   * whose own frame is in an `excluded.self` module (a benchmark's wrappers, not what they wrap).
   */
  async stopWithHotFunctions(
    top: number,
    excluded: { anywhere?: (module: string) => boolean; self?: (module: string) => boolean } = {},
  ): Promise<{ cpuMs: number; hot: HotFunction[]; excludedMs: number; byModule: Map<string, number> }> {
    const { profile } = (await this.call("Profiler.stop")) as { profile: Profile };
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const parents = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
    const excludedNode = new Map<number, boolean>();
    const isExcluded = (id: number): boolean => {
      const known = excludedNode.get(id);
      if (known !== undefined) return known;
      const frame = nodes.get(id)?.callFrame;
      const module = frame ? moduleOf(frame.url, frame.lineNumber) : undefined;
      const parent = parents.get(id);
      const result = (module !== undefined && (excluded.anywhere?.(module) ?? false)) || (parent !== undefined && isExcluded(parent));
      excludedNode.set(id, result);
      return result;
    };
    const self = new Map<string, HotFunction>();
    const byModule = new Map<string, number>();
    let micros = 0;
    let excludedMicros = 0;
    profile.samples.forEach((id, i) => {
      const frame = nodes.get(id)?.callFrame;
      if (!frame || frame.functionName === "(idle)") return;
      // A gap between two samples is time the isolate did not run: count one interval at most.
      const us = Math.min(profile.timeDeltas[i] ?? 0, 2 * SAMPLING_INTERVAL_US);
      const own = moduleOf(frame.url, frame.lineNumber);
      if (isExcluded(id) || (own !== undefined && (excluded.self?.(own) ?? false))) {
        excludedMicros += us;
        return;
      }
      micros += us;
      const name = frame.functionName || "(anonymous)";
      const module = own;
      const area = module ?? (frame.url ? "(other script)" : "(runtime: natives, GC, program)");
      byModule.set(area, (byModule.get(area) ?? 0) + us / 1000);
      const file = frame.url.split("/").pop() || "(native)";
      const at = module ? `${module} (${file}:${frame.lineNumber + 1})` : `${file}:${frame.lineNumber + 1}`;
      const key = `${name} ${at}`;
      const entry = self.get(key) ?? { name, at, selfMs: 0 };
      entry.selfMs += us / 1000;
      self.set(key, entry);
    });
    const hot = [...self.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
    return { cpuMs: micros / 1000, hot, excludedMs: excludedMicros / 1000, byModule };
  }

  close(): void {
    this.socket.close();
  }
}

