/**
 * A token service for tests of the Bearer flow against the real registry (docker-registry's `token`
 * auth, as Docker Hub and quay.io use): issues RS256 JWTs whose x5c certificate the registry trusts,
 * after checking basic credentials. The self-signed certificate comes from the openssl CLI.
 */
import { spawnSync } from "node:child_process";
import { createPrivateKey, randomBytes, sign, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";

const b64url = (b: Buffer | string): string => Buffer.from(b).toString("base64url");

/** Whether the openssl CLI is there to make the certificate. */
export function opensslAvailable(): boolean {
  return spawnSync("openssl", ["version"]).status === 0;
}

export class TokenService {
  readonly service = "dbaas-test-registry";
  readonly issuer = "dbaas-test-issuer";
  readonly certFile: string;
  realm = "";
  /** Token requests seen, with the scope asked for and whether credentials were accepted. */
  readonly requests: { scope: string; authorized: boolean }[] = [];
  private server?: Server;
  private readonly keyPem: string;
  private readonly certDer: Buffer;

  constructor(
    dir: string,
    private readonly user: string,
    private readonly password: string,
  ) {
    const keyFile = join(dir, "token.key");
    this.certFile = join(dir, "token.crt");
    const r = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", this.certFile, "-days", "2", "-subj", "/CN=dbaas-test-token"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
    this.keyPem = readFileSync(keyFile, "utf8");
    this.certDer = new X509Certificate(readFileSync(this.certFile)).raw;
  }

  /** Listens on a free port; returns the realm URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      const scope = url.searchParams.get("scope") ?? "";
      const given = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString();
      const authorized = given === `${this.user}:${this.password}`;
      this.requests.push({ scope, authorized });
      if (!authorized) {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ details: "bad credentials" }));
        return;
      }
      const [type, name, actions] = scope.split(":");
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ token: this.jwt(type && name ? [{ type, name, actions: (actions ?? "").split(",") }] : []) }));
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.realm = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/token`;
    return this.realm;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => (this.server ? this.server.close(r) : r(undefined)));
  }

  private jwt(access: unknown[]): string {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: "JWT", alg: "RS256", x5c: [this.certDer.toString("base64")] }));
    const claims = b64url(JSON.stringify({ iss: this.issuer, sub: this.user, aud: this.service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString("hex"), access }));
    const sig = sign("sha256", Buffer.from(`${header}.${claims}`), createPrivateKey(this.keyPem));
    return `${header}.${claims}.${b64url(sig)}`;
  }
}
