/** `node --import tsx scripts/cluster/inline-catalog.ts <catalog dir> <out dir>`: the catalog opm serves to the e2e cluster. */
import { writeInlineCatalog } from "../../src/e2e/catalog-dir.js";

const [catalogDir, outDir] = process.argv.slice(2);
if (!catalogDir || !outDir) {
  console.error("usage: inline-catalog.ts <catalog dir> <out dir>");
  process.exit(2);
}
console.log(writeInlineCatalog(catalogDir, outDir));
