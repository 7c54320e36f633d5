// Identifiers derived from the injectable random source, so a seeded simulator is repeatable.
import { createHash } from "node:crypto";

function randomBytes(random: () => number, n: number): Buffer {
  const bytes = Buffer.alloc(n);
  for (let i = 0; i < n; i++) bytes[i] = Math.floor(random() * 256) & 0xff;
  return bytes;
}

/** A plausible manifest digest: "sha256:" + 64 hex characters. */
export function randomDigest(random: () => number): string {
  return `sha256:${createHash("sha256").update(randomBytes(random, 32)).digest("hex")}`;
}

/** A version-4 UUID, like Harbor's scan report ids. */
export function randomUuid(random: () => number): string {
  const b = randomBytes(random, 16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
