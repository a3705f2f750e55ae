import { createHash } from "node:crypto";

/** `sha256:<hex>` of some bytes: the content address of every blob and manifest. */
export function sha256Digest(data: Uint8Array | string): string {
  return "sha256:" + createHash("sha256").update(data).digest("hex");
}

/** Checks a digest string is one we can verify (sha256 with 64 hex digits). */
export function isSha256Digest(d: string): boolean {
  return /^sha256:[a-f0-9]{64}$/.test(d);
}
