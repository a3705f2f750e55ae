import type { Origin } from "../fbc/types.js";

/** Formats an origin as `file:line:column`, the form editors jump to. */
export function formatOrigin(o: Origin): string {
  return `${o.file}:${o.line}:${o.column}`;
}

/**
 * An error caused by the user's input (bad YAML, invalid catalog, missing image): the CLI exits 1.
 * `origin` names the file and position where one is known.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly origin?: Origin,
    /** The field of the blob the problem is about (`image`, `skipRange`, …), when there is one. */
    readonly field?: string,
  ) {
    super(origin ? `${formatOrigin(origin)}: ${message}` : message);
    this.name = "UserError";
  }
}

/** A command line that does not make sense (unknown flag, missing argument): the CLI exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Turns anything thrown into a message, so callers can wrap errors without losing text. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
