import { failure, type ErrorInfo, type Outcome } from "../../shared/errors.ts";
import type { Metrics } from "../../shared/metrics/recorder.ts";
import { MAX_REQUEST_BYTES, SocketAttachmentSchema, type ServerFrame, type SocketAttachment, type SocketRole } from "../../shared/schemas/index.ts";

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

/** Who a socket belongs to (and its client's hashed address), kept with the socket itself so that it survives hibernation. */
export function setSocketAttachment(socket: WebSocket, attachment: { role: SocketRole; client?: string | undefined }): void {
  socket.serializeAttachment(SocketAttachmentSchema.parse(attachment));
}

/**
 * Open sockets are counted once each way: the attachment remembers that this one was counted open,
 * so close and error (which may both arrive) count it down once, and a socket accepted before it
 * was counted never is.
 */
export function countOpenSocket(socket: WebSocket, metrics: Metrics, bot: string): void {
  const attachment = SocketAttachmentSchema.safeParse(socket.deserializeAttachment());
  if (!attachment.success) return;
  socket.serializeAttachment({ ...attachment.data, countedOpen: true });
  metrics.adjust("stratus_websockets_open", { bot }, 1);
}

export function countClosedSocket(socket: WebSocket, metrics: Metrics, bot: string): void {
  const attachment = SocketAttachmentSchema.safeParse(socket.deserializeAttachment());
  if (!attachment.success || !attachment.data.countedOpen) return;
  socket.serializeAttachment({ ...attachment.data, countedOpen: false });
  metrics.adjust("stratus_websockets_open", { bot }, -1);
}

/** A socket with no readable attachment counts as an operator's: read-only, the safe side. */
export function socketAttachment(socket: WebSocket): SocketAttachment {
  const attachment = SocketAttachmentSchema.safeParse(socket.deserializeAttachment());
  return attachment.success ? attachment.data : { role: "operator", countedOpen: false };
}

const encoder = new TextEncoder();

/**
 * A client frame's JSON; what it must contain is the admission's to check (shared/user-message-admission.ts).
 * Frames are JSON text: a binary frame is refused even when its bytes are JSON, and a frame over
 * MAX_REQUEST_BYTES (the HTTP body limit) is `payload_too_large`.
 */
export function decodeFrame(data: string | ArrayBuffer): Outcome<{ frame: unknown }, "invalid_frame" | "payload_too_large"> {
  if (typeof data !== "string") return failure("invalid_frame", "binary frames are not accepted; send the message as a JSON text frame");
  // A UTF-16 unit is at most 3 UTF-8 bytes: only long frames need counting.
  if (data.length * 3 > MAX_REQUEST_BYTES && encoder.encode(data).byteLength > MAX_REQUEST_BYTES) {
    return failure("payload_too_large", `frame is larger than ${MAX_REQUEST_BYTES} bytes`);
  }
  try {
    return { ok: true, frame: JSON.parse(data) };
  } catch {
    return failure("invalid_frame", "frame is not valid JSON");
  }
}
