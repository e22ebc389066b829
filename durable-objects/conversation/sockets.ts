import type { ServerFrame } from "../../shared/schemas/index.ts";

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
