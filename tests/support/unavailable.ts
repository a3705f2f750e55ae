/**
 * What a suite does when a real part it needs (opm, the registry, Chromium, Pulumi, actionlint) is missing:
 * on a developer's machine it is skipped with the command that provides it; in CI (CI=true) it fails,
 * because CI installs every part first and a silently skipped differential test proves nothing.
 */

/** Skips (locally) or fails (in CI) the calling test or suite for want of `what`; `fix` says how to get it. */
export function unavailable(ctx: Mocha.Context, what: string, fix: string): never {
  if (process.env["CI"] === "true" && process.env["DBAAS_ALLOW_SKIPS"] !== "1") {
    throw new Error(`${what} is missing, and CI needs it for this test (${fix}; DBAAS_ALLOW_SKIPS=1 skips instead)`);
  }
  console.log(`    (skipped: ${what} is missing; ${fix})`);
  ctx.skip();
}
