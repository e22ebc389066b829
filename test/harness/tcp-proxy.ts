// A loopback TCP proxy in front of the local stack, so a test can break the network under a client
// the way real networks break:
//   cut()             every open connection dies (a WebSocket drops mid-conversation) and new ones are
//                     refused, until restore()
//   loseResponses()   requests reach the server, but each connection is dropped as its answer starts:
//                     the server acted, the client never heard
//   freeze()          open connections stay open but carry nothing more (a half-open socket after a
//                     network change); new connections work
//   blockWebSockets() WebSocket upgrades are refused, plain HTTP passes (a proxy that blocks sockets)
import { createConnection, createServer, type Socket } from "node:net";

export interface TcpProxy {
  /** The proxy's base URL (http://127.0.0.1:port). */
  url: string;
  cut(): void;
  loseResponses(): void;
  freeze(): void;
  blockWebSockets(): void;
  restore(): void;
  /** Client connections the proxy broke (cut, refused, or dropped before the answer). */
  readonly broken: number;
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream: Socket;
  frozen: boolean;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(target);
  const links = new Set<Link>();
  let mode: "pass" | "down" | "lose-responses" | "block-websockets" = "pass";
  let broken = 0;

  const breakLink = (link: Link) => {
    if (!links.delete(link)) return;
    broken += 1;
    link.client.destroy();
    link.upstream.destroy();
  };

  const server = createServer((client) => {
    if (mode === "down") {
      broken += 1;
      client.destroy();
      return;
    }
    const link: Link = { client, upstream: createConnection({ host: hostname, port: Number(port) }), frozen: false };
    links.add(link);
    const end = () => {
      links.delete(link);
      client.destroy();
      link.upstream.destroy();
    };
    client.on("error", end).on("close", end);
    link.upstream.on("error", end).on("close", end);
    client.on("data", (chunk: Buffer) => {
      if (link.frozen) return;
      if (mode === "block-websockets" && /^upgrade:\s*websocket/im.test(chunk.toString("latin1"))) return breakLink(link);
      link.upstream.write(chunk);
    });
    link.upstream.on("data", (chunk: Buffer) => {
      if (link.frozen) return;
      if (mode === "lose-responses") return breakLink(link);
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("proxy has no address");

  return {
    url: `http://127.0.0.1:${address.port}`,
    cut() {
      mode = "down";
      for (const link of [...links]) breakLink(link);
    },
    loseResponses() {
      mode = "lose-responses";
    },
    freeze() {
      for (const link of links) link.frozen = true;
    },
    blockWebSockets() {
      mode = "block-websockets";
    },
    restore() {
      mode = "pass";
    },
    get broken() {
      return broken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const link of [...links]) breakLink(link);
        server.close(() => resolve());
      }),
  };
}
