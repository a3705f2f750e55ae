/**
 * Progress for long work: a rewritten line on a TTY, nothing when stderr is not a TTY or CI is set,
 * so logs stay clean.
 */
export interface Progress {
  tick(done: number, total: number, label?: string): void;
  done(): void;
}

/** A progress reporter for `what`; silent outside an interactive terminal. */
export function progress(what: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const live = !!stream.isTTY && !process.env["CI"];
  let shown = false;
  return {
    tick(done, total, label) {
      if (!live) return;
      const width = 24;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      const text = `${what} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${label ?? ""}`;
      stream.write(`\r${text.slice(0, (stream.columns ?? 100) - 1).padEnd(Math.min(stream.columns ?? 100, 100) - 1)}`);
      shown = true;
    },
    done() {
      if (live && shown) stream.write("\n");
    },
  };
}
