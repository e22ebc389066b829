import { z } from "zod";
import { failure, type ErrorInfo, type Outcome } from "../../shared/errors.ts";
import type { Metrics } from "../../shared/metrics/recorder.ts";
import type { ServerFrame } from "../../shared/schemas/index.ts";

/** Sends a frame to one client; a socket that is closing is skipped, not an error. */
export function sendFrame(socket: WebSocket, frame: ServerFrame): void {
  try {
    socket.send(JSON.stringify(frame));
  } catch {
    // The client went away between getWebSockets() and send(); its close event cleans up.
  }
}

export function sendError(socket: WebSocket, error: ErrorInfo): void {
  sendFrame(socket, { type: "error", error });
}

export function broadcast(sockets: WebSocket[], frame: ServerFrame): void {
  for (const socket of sockets) sendFrame(socket, frame);
}

/** A client frame's JSON; what it must contain is the admission's to check (shared/user-message-admission.ts). */
export function decodeFrame(data: string | ArrayBuffer): Outcome<{ frame: unknown }, "invalid_frame"> {
  try {
    return { ok: true, frame: JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data)) };
  } catch {
    return failure("invalid_frame", "frame is not valid JSON");
  }
}

/**
 * What a socket remembers across hibernation: that it was counted as open. A socket is counted
 * down once (close and error may both arrive), and one accepted before it was counted never is.
 */
const SocketAttachmentSchema = z.object({ countedOpen: z.boolean() }).catch({ countedOpen: false });

export function countOpenSocket(socket: WebSocket, metrics: Metrics, bot: string): void {
  socket.serializeAttachment({ countedOpen: true });
  metrics.adjust("stratus_websockets_open", { bot }, 1);
}

export function countClosedSocket(socket: WebSocket, metrics: Metrics, bot: string): void {
  if (!SocketAttachmentSchema.parse(socket.deserializeAttachment()).countedOpen) return;
  socket.serializeAttachment({ countedOpen: false });
  metrics.adjust("stratus_websockets_open", { bot }, -1);
}
