/**
 * A tiny HTTP proxy in front of a real registry for tests: counts requests by kind (manifest HEAD/GET,
 * blob GET) and injects faults — error statuses, truncated or altered blobs, slow responses.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export type RequestKind = "manifest-head" | "manifest-get" | "blob-get" | "blob-head" | "other";

export interface Fault {
  on: RequestKind;
  /** Answer with this status (and a registry JSON error) instead of forwarding. */
  status?: number;
  /** Send the headers and only half the body, then drop the connection. */
  truncate?: boolean;
  /** Flip one byte of the body (same length, wrong digest). */
  corrupt?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
  /** How many matching requests to affect (default: all). */
  times?: number;
  /** Only requests whose path contains this. */
  path?: string;
}

function kindOf(method: string, url: string): RequestKind {
  const path = url.split("?")[0]!;
  if (/\/manifests\/[^/]+$/.test(path)) return method === "HEAD" ? "manifest-head" : method === "GET" ? "manifest-get" : "other";
  if (/\/blobs\/sha256:[a-f0-9]{64}$/.test(path)) return method === "HEAD" ? "blob-head" : method === "GET" ? "blob-get" : "other";
  return "other";
}

export class RegistryProxy {
  readonly counts: Record<RequestKind, number> = { "manifest-head": 0, "manifest-get": 0, "blob-get": 0, "blob-head": 0, other: 0 };
  faults: Fault[] = [];
  private server?: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  address = "";

  constructor(private readonly upstream: string) {}

  /** Starts listening on a free 127.0.0.1 port; returns host:port. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.address = `127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this.address;
  }

  /** Stops listening and drops open connections. */
  async stop(): Promise<void> {
    if (!this.server) return;
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise((r) => this.server!.close(r));
  }

  resetCounts(): void {
    for (const k of Object.keys(this.counts) as RequestKind[]) this.counts[k] = 0;
  }

  private takeFault(kind: RequestKind, path: string): Fault | undefined {
    const f = this.faults.find((x) => x.on === kind && (x.times === undefined || x.times > 0) && (!x.path || path.includes(x.path)));
    if (f && f.times !== undefined) f.times--;
    return f;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const kind = kindOf(req.method ?? "GET", req.url ?? "/");
    this.counts[kind]++;
    const fault = this.takeFault(kind, req.url ?? "/");
    if (fault?.delayMs) {
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          r();
        }, fault.delayMs);
        this.timers.add(t);
      });
    }
    if (fault?.status) {
      const body = JSON.stringify({ errors: [{ code: "UNKNOWN", message: `injected fault ${fault.status}` }] });
      res.writeHead(fault.status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    const [host, port] = this.upstream.split(":") as [string, string];
    const up = request({ host, port: Number(port), method: req.method, path: req.url, headers: { ...req.headers, host: this.upstream } }, (ur) => {
      if (!fault?.truncate && !fault?.corrupt) {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      ur.on("data", (c: Buffer) => chunks.push(c));
      ur.on("end", () => {
        const body = Buffer.concat(chunks);
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        if (fault.corrupt) {
          const i = body.length >> 1;
          body.writeUInt8(body.readUInt8(i) ^ 0xff, i);
          res.end(body);
        } else {
          res.flushHeaders();
          setTimeout(() => res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20)), 20);
        }
      });
    });
    up.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  }
}
