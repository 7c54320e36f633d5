// Seeded randomness by key: every value is a hash of (seed, key…), so what a commit, build or run
// gets does not depend on timing or on the order controllers happen to ask.
import { createHash } from "node:crypto";

type Key = string | number;

const SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"; // names.SimpleNameGenerator's

export class Seeded {
  constructor(readonly seed: number) {}

  private digest(algorithm: "sha1" | "sha256", key: Key[]): Buffer {
    return createHash(algorithm)
      .update([String(this.seed), ...key.map(String)].join("\u0000"))
      .digest();
  }

  /** A float in [0, 1). */
  float(...key: Key[]): number {
    return this.digest("sha256", key).readUInt32BE(0) / 2 ** 32;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number, ...key: Key[]): number {
    return min + Math.floor(this.float(...key) * (max - min + 1));
  }

  chance(p: number, ...key: Key[]): boolean {
    return p > 0 && this.float(...key) < p;
  }

  pick<T>(items: readonly T[], ...key: Key[]): T {
    return items[Math.floor(this.float(...key) * items.length)];
  }

  /** A 40-hex git object id. */
  sha(...key: Key[]): string {
    return this.digest("sha1", key).toString("hex");
  }

  /** "sha256:" + 64 hex. */
  digestOf(...key: Key[]): string {
    return `sha256:${this.digest("sha256", key).toString("hex")}`;
  }

  /** A 5-character suffix like the apiserver appends to generateName. */
  suffix(...key: Key[]): string {
    const bytes = this.digest("sha256", key);
    return [...bytes.subarray(0, 5)]
      .map((b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length])
      .join("");
  }

  /** A PRNG stream (mulberry32) for APIs that take `() => number`. */
  stream(...key: Key[]): () => number {
    let a = this.digest("sha256", key).readUInt32BE(0);
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
}
