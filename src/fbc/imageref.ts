/**
 * Docker image reference parsing as distribution/reference's ParseNormalizedNamed does it, which opm
 * (v1.64+) applies to every bundle image and related image. Returns the error text opm prints.
 */

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_HEX64 = /^[a-f0-9]{64}$/;

export interface ImageRef {
  /** Registry host (normalized: docker.io when absent). */
  domain: string;
  /** Repository path (normalized: library/ prefix for official docker.io images). */
  path: string;
  tag?: string;
  digest?: string;
}

function splitDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf("/");
  if (i === -1) return { domain: "docker.io", remainder: `library/${name}` };
  const first = name.slice(0, i);
  if (!/[.:]/.test(first) && first !== "localhost" && first.toLowerCase() === first) {
    return { domain: "docker.io", remainder: name };
  }
  let domain = first;
  let remainder = name.slice(i + 1);
  if (domain === "index.docker.io") domain = "docker.io";
  if (domain === "docker.io" && !remainder.includes("/")) remainder = `library/${remainder}`;
  return { domain, remainder };
}

/** Parses an image reference with docker's normalization, or throws the error text opm would print. */
export function parseImageRef(s: string): ImageRef {
  if (ANCHORED_HEX64.test(s)) throw new Error(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  const nameEnd = (() => {
    const at = s.indexOf("@");
    const beforeDigest = at === -1 ? s : s.slice(0, at);
    const colon = beforeDigest.lastIndexOf(":");
    return colon > beforeDigest.lastIndexOf("/") ? colon : beforeDigest.length;
  })();
  const { domain, remainder } = splitDomain(s.slice(0, nameEnd));
  if (remainder.toLowerCase() !== remainder) throw new Error("invalid reference format: repository name must be lowercase");
  const m = REFERENCE.exec(s);
  if (!m) throw new Error("invalid reference format");
  if (m[1]!.length > 255) throw new Error("repository name must not be more than 255 characters");
  const digest = m[3];
  if (digest) {
    const [alg, hex] = digest.split(":") as [string, string];
    if (alg === "sha256" && hex.length !== 64) throw new Error("invalid checksum digest length");
    if (alg === "sha512" && hex.length !== 128) throw new Error("invalid checksum digest length");
  }
  return { domain, path: remainder, tag: m[2], digest };
}

/** The error opm would give for an image pull spec, or undefined when it parses. */
export function imageRefError(s: string): string | undefined {
  try {
    parseImageRef(s);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
