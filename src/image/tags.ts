/**
 * Which tags a catalog image gets, from the git ref it was built from. Pure, so the publishing rules
 * are testable on their own:
 *
 * | ref                        | repository         | tags                                   |
 * | -------------------------- | ------------------ | -------------------------------------- |
 * | branch `main`              | `<repo>`           | `main`, plus `latest` once tests passed |
 * | tag `vX.Y.Z`               | `<repo>`           | `vX.Y.Z`, `X.Y`                         |
 * | branch `platform<name>`    | `<repo>-platform<name>` | `main`                             |
 * | tag `platform<name>/vX.Y.Z`| `<repo>-platform<name>` | `vX.Y.Z`, `latest`                 |
 * | anything else              | (not published)    | none                                   |
 *
 * A prerelease tag (`v1.2.0-rc.1`) gets only its own tag: it never moves `X.Y` or `latest`.
 */

export interface TagPlan {
  kind: "main" | "release" | "platform" | "platform-release" | "none";
  /** Appended to the repository: "" or `-<platform branch>`. */
  repoSuffix: string;
  tags: string[];
}

const SEMVER_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;
const PLATFORM = /^platform[a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Strips `refs/heads/` / `refs/tags/` (CI gives either form). */
function shortRef(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, "");
}

function releaseTags(tag: string, moving: (major: string, minor: string) => string[]): string[] | undefined {
  const m = SEMVER_TAG.exec(tag);
  if (!m) return undefined;
  return m[4] ? [tag] : [tag, ...moving(m[1]!, m[2]!)];
}

/** The repository suffix and tags for an image built from `ref`. */
export function tagsFor(ref: string, opts: { testsPassed: boolean }): TagPlan {
  const r = shortRef(ref);
  if (r === "main") return { kind: "main", repoSuffix: "", tags: opts.testsPassed ? ["main", "latest"] : ["main"] };
  const release = releaseTags(r, (major, minor) => [`${major}.${minor}`]);
  if (release) return { kind: "release", repoSuffix: "", tags: release };
  if (PLATFORM.test(r)) return { kind: "platform", repoSuffix: `-${r}`, tags: ["main"] };
  const slash = r.indexOf("/");
  if (slash > 0 && PLATFORM.test(r.slice(0, slash))) {
    const tags = releaseTags(r.slice(slash + 1), () => ["latest"]);
    if (tags) return { kind: "platform-release", repoSuffix: `-${r.slice(0, slash)}`, tags };
  }
  return { kind: "none", repoSuffix: "", tags: [] };
}

/** Full references `<repo><suffix>:<tag>` for an image built from `ref`. */
export function imageReferencesFor(repo: string, ref: string, opts: { testsPassed: boolean }): string[] {
  const plan = tagsFor(ref, opts);
  return plan.tags.map((t) => `${repo}${plan.repoSuffix}:${t}`);
}
