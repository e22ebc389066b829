import { ClientFrameSchema, type ClientFrame, type ServerFrame } from "../../shared/schemas/index.ts";
import { describeZodError } from "../../shared/zod-issues.ts";

/** Sends a frame to one client; a socket that is closing is skipped, not an error. */
export function sendFrame(socket: WebSocket, frame: ServerFrame): void {
  try {
    socket.send(JSON.stringify(frame));
  } catch {
    // The client went away between getWebSockets() and send(); its close event cleans up.
  }
}

export function broadcast(sockets: WebSocket[], frame: ServerFrame): void {
  for (const socket of sockets) sendFrame(socket, frame);
}

/** A client's frame, validated; `message` says what is wrong with a bad one. */
export function parseClientFrame(
  data: string | ArrayBuffer,
): { success: true; data: ClientFrame } | { success: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data));
  } catch {
    return { success: false, message: "frame is not valid JSON" };
  }
  const parsed = ClientFrameSchema.safeParse(json);
  return parsed.success ? { success: true, data: parsed.data } : { success: false, message: describeZodError(parsed.error) };
}
