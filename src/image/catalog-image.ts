/**
 * The catalog image: an optional base (normally an opm image), plus one layer holding the catalog
 * directory under /configs, the label that tells opm and OLM where the FBC is, and opm's entrypoint
 * and command (as `opm generate dockerfile` writes them, the cache built at start). Without a base the image is data-only, like
 * `FROM scratch` (opm's base image cannot be fetched offline): it renders with `opm render`, and serves
 * once built on an opm base (`--base`).
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../util/errors.js";
import { buildImage, type BuiltImage } from "./build.js";
import type { PulledImage } from "./pull.js";
import type { TarEntry } from "./tar.js";

export const CONFIGS_LABEL = "operators.operatorframework.io.index.configs.v1";
export const CONFIGS_DIR = "/configs";
export const CATALOG_ENTRYPOINT = ["/bin/opm"];
/**
 * `opm generate dockerfile`'s command, plus `--cache-enforce-integrity=false`: its Dockerfile pre-builds
 * the serve cache with a RUN step, which a daemonless build has not got, and opm v1.73 refuses to start
 * on an empty --cache-dir unless told to build it at start.
 */
export const CATALOG_CMD = ["serve", "/configs", "--cache-dir=/tmp/cache", "--cache-enforce-integrity=false"];

/** Every file, folder and symlink under `dir`, as entries under `prefix` (e.g. `configs`). */
export function treeEntries(dir: string, prefix: string): TarEntry[] {
  const out: TarEntry[] = [{ path: prefix, type: "directory" }];
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      const r = `${rel}/${name}`;
      const st = lstatSync(p);
      if (st.isDirectory()) {
        out.push({ path: r, type: "directory" });
        walk(p, r);
      } else if (st.isFile()) out.push({ path: r, type: "file", data: readFileSync(p) });
      else if (st.isSymbolicLink()) out.push({ path: r, type: "symlink", linkname: readlinkSync(p) });
      else throw new UserError(`${p}: cannot put this kind of file in an image (only files, folders and symlinks)`);
    }
  };
  walk(dir, prefix);
  return out;
}

/** Builds the catalog image for `catalogDir` (reproducible: same files and base, same digest). */
export async function buildCatalogImage(catalogDir: string, base?: PulledImage): Promise<BuiltImage> {
  return buildImage({
    base,
    layers: [treeEntries(catalogDir, CONFIGS_DIR.slice(1))],
    createdBy: [`ADD catalog ${CONFIGS_DIR}`],
    labels: { [CONFIGS_LABEL]: CONFIGS_DIR },
    entrypoint: CATALOG_ENTRYPOINT,
    cmd: CATALOG_CMD,
  });
}
