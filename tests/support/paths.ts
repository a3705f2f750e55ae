/** Paths shared by tests: the repo, its catalog, and the shared fixtures beside the repo. */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CATALOG = join(REPO, "catalog");
export const SHARED = process.env["DBAAS_SHARED"] ?? resolve(REPO, "..", "shared");
export const PERCONA = join(SHARED, "fixtures", "percona-dbaas-catalog");
export const VALIDATE_CASES = join(REPO, "tests", "fixtures", "validate");
export const OPERATORS = [
  "dbaas-operator",
  "everest-operator",
  "percona-postgresql-operator",
  "percona-server-mongodb-operator",
  "percona-xtradb-cluster-operator",
  "victoriametrics-operator",
];
