// Loads and validates one catalog directory (the unit of work bench/validate.ts times).
import { validateDir } from "../src/fbc/validate.js";

const r = validateDir(process.argv[2]!);
process.exitCode = r.passed ? 0 : 1;
