// API tokens as strings: `shl_` and 32 random bytes in base64url. Only a SHA-256 hash is stored,
// with a short prefix so that people can tell their tokens apart. Pure, apart from randomness.
import { createHash, randomBytes } from "node:crypto";

export const TOKEN_PREFIX = "shl_";
const TOKEN_PATTERN = /^shl_[A-Za-z0-9_-]{43}$/;
/** `shl_` and 8 characters: enough to recognise a token, far too little to guess it. */
const DISPLAY_PREFIX_LENGTH = TOKEN_PREFIX.length + 8;

export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function isTokenFormat(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** Lower-case hex SHA-256: a 256-bit random token needs no salt or slow hash. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function displayPrefix(token: string): string {
  return token.slice(0, DISPLAY_PREFIX_LENGTH);
}

export type BearerResult =
  { kind: "none" } | { kind: "token"; token: string } | { kind: "malformed"; reason: string };

/** Reads an Authorization header: absent, a well-formed Shiplog token, or what is wrong with it. */
export function parseBearer(header: string | null): BearerResult {
  if (header === null) return { kind: "none" };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  if (!match) return { kind: "malformed", reason: "Authorization must be Bearer <token>" };
  const token = match[1];
  if (!isTokenFormat(token)) {
    return { kind: "malformed", reason: "the bearer token is not a Shiplog API token (shl_…)" };
  }
  return { kind: "token", token };
}

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const MAX_LIFETIME_MS = 5 * 366 * UNIT_MS.d;

/** `30d`, `12h`, `2w` → milliseconds; undefined when the text is not such a duration. */
export function parseLifetime(text: string): number | undefined {
  const match = /^(\d{1,5})([hdw])$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms > 0 && ms <= MAX_LIFETIME_MS ? ms : undefined;
}

export const LIFETIME_HINT = "a duration such as 12h, 30d or 2w (at most 5 years)";
