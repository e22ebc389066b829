// CPU time of each Worker isolate, from V8's own CPU profiler through workerd's inspector.
// workerd's trace events carry cpuTime = 0 when run locally, so the profiler is the local measure
// of what Cloudflare bills as CPU time: the sampler runs only while an isolate executes, and each
// sample stands for one sampling interval of execution.
import { execFileSync } from "node:child_process";
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
}

/** A function's own CPU time in a profile (its callees' not included). */
export interface HotFunction {
  name: string;
  /** Where it is: the bundle's file name and line (workerd's bundles keep each module's path in comments). */
  at: string;
  selfMs: number;
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
    } catch {
      socket.close();
      return null;
    }
    await profiler.call("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
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

  /** Stops the profile: CPU milliseconds since start(), and the `top` functions by their own time. */
  async stopWithHotFunctions(top: number): Promise<{ cpuMs: number; hot: HotFunction[] }> {
    const { profile } = (await this.call("Profiler.stop")) as { profile: Profile };
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const self = new Map<string, HotFunction>();
    let micros = 0;
    profile.samples.forEach((id, i) => {
      const frame = nodes.get(id)?.callFrame;
      if (!frame || frame.functionName === "(idle)") return;
      // A gap between two samples is time the isolate did not run: count one interval at most.
      const us = Math.min(profile.timeDeltas[i] ?? 0, 2 * SAMPLING_INTERVAL_US);
      micros += us;
      const name = frame.functionName || "(anonymous)";
      const at = `${frame.url.split("/").pop() ?? ""}:${frame.lineNumber + 1}`;
      const key = `${name} ${at}`;
      const entry = self.get(key) ?? { name, at, selfMs: 0 };
      entry.selfMs += us / 1000;
      self.set(key, entry);
    });
    const hot = [...self.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
    return { cpuMs: micros / 1000, hot };
  }

  close(): void {
    this.socket.close();
  }
}

