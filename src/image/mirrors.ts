/**
 * Registry mirrors: veneers keep their real references (quay.io/..., docker.io/...) while pulls go to
 * another registry, e.g. the local one with the fixture images. A mirror maps a registry (optionally a
 * repository prefix) to a registry (optionally with a prefix): `quay.io=127.0.0.1:5000`,
 * `docker.io/percona=127.0.0.1:5000/dockerhub/percona`. Rendered `image` fields are never rewritten.
 */
import { UsageError } from "../util/errors.js";
import type { ImageReference } from "./reference.js";

export interface Mirror {
  /** `registry` or `registry/repo-prefix`. */
  from: string;
  /** `registry` or `registry/repo-prefix`. */
  to: string;
}

const HOST = /^[A-Za-z0-9.-]+(?::\d+)?$|^\[[0-9a-fA-F:]+\](?::\d+)?$/;

function checkSide(s: string, spec: string): string {
  const t = s.trim().replace(/\/+$/, "");
  const host = t.split("/")[0]!;
  if (!HOST.test(host)) throw new UsageError(`--registry-mirror "${spec}": "${host}" is not a registry host (form: quay.io=127.0.0.1:5000)`);
  return t;
}

/** Parses `from=to` mirror specs (flags or the comma-separated DBAAS_REGISTRY_MIRRORS). */
export function parseMirrors(specs: string[]): Mirror[] {
  const out: Mirror[] = [];
  for (const spec of specs.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean)) {
    const eq = spec.indexOf("=");
    if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--registry-mirror "${spec}": expected <registry>=<mirror>, e.g. quay.io=127.0.0.1:5000`);
    out.push({ from: checkSide(spec.slice(0, eq), spec), to: checkSide(spec.slice(eq + 1), spec) });
  }
  return out;
}

/** Mirrors from flags, else from DBAAS_REGISTRY_MIRRORS. */
export function mirrorsFrom(flags: string[] | undefined, env: NodeJS.ProcessEnv = process.env): Mirror[] {
  return parseMirrors(flags && flags.length ? flags : [env["DBAAS_REGISTRY_MIRRORS"] ?? ""]);
}

/** Where to pull `ref` from: the longest matching mirror's target, or `ref` itself. */
export function applyMirrors(ref: ImageReference, mirrors: Mirror[]): ImageReference {
  const full = `${ref.registry}/${ref.repository}`;
  let best: Mirror | undefined;
  for (const m of mirrors) {
    if ((full === m.from || full.startsWith(m.from + "/")) && (!best || m.from.length > best.from.length)) best = m;
  }
  if (!best) return ref;
  const rest = full.slice(best.from.length).replace(/^\//, "");
  const [registry, ...prefix] = best.to.split("/");
  const repository = [...prefix, rest].filter(Boolean).join("/");
  return { ...ref, registry: registry!, repository };
}
