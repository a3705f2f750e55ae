/**
 * What the platform needs to know about the catalog at preview time: the loaded model (once per process),
 * and per bundle the install modes its CSV supports and the APIs (group/kind) it owns.
 */
import { resolve } from "node:path";
import { loadFbc } from "../fbc/load.js";
import { convertToModel, type Model, type ModelBundle } from "../fbc/model.js";
import { csvJsonOf } from "../bundle/fbc-source.js";
import { INSTALL_MODES, type InstallMode } from "./config.js";

const models = new Map<string, Model>();

/** Loads `dir` as an FBC model, once per process (a preview evaluates the program once; tests many times). */
export function loadCatalogModel(dir: string): Model {
  const abs = resolve(dir);
  let m = models.get(abs);
  if (!m) {
    m = convertToModel(loadFbc(abs));
    models.set(abs, m);
  }
  return m;
}

export interface CsvInfo {
  name: string;
  /** Install modes with `supported: true`; undefined when the bundle carries no CSV to read them from. */
  installModes?: InstallMode[];
  /** Owned APIs as `group/Kind`, from the bundle's `olm.gvk` properties, sorted and unique. */
  ownedKinds: string[];
}

const infos = new WeakMap<ModelBundle, CsvInfo>();

/** Reads a bundle's install modes and owned APIs (decoding its CSV once). */
export function csvInfo(b: ModelBundle): CsvInfo {
  const cached = infos.get(b);
  if (cached) return cached;
  const json = csvJsonOf(b.objects);
  let installModes: InstallMode[] | undefined;
  if (json) {
    const csv = JSON.parse(json) as { spec?: { installModes?: { type?: string; supported?: boolean }[] } };
    installModes = INSTALL_MODES.filter((m) => (csv.spec?.installModes ?? []).some((im) => im.type === m && im.supported === true));
  }
  const ownedKinds = [...new Set((b.props?.gvks ?? []).map((g) => `${g.group}/${g.kind}`))].sort();
  const info = { name: b.name, installModes, ownedKinds };
  infos.set(b, info);
  return info;
}
