// Normalisation of the correlation keys every source shares: digests, image references, git SHAs,
// repository URLs and timestamps, so that values from different systems compare equal as strings.
import type { GitRevision, ImageRef } from "./types";

const DIGEST_ANYWHERE = /sha256:[0-9a-f]{64}/gi;
// Label values cannot contain ":" and stop at 63 chars, so label/annotation digests come in
// several spellings; all mean the same digest.
const DIGEST_EXACT = /^(?:sha256[:\-._])?([0-9a-f]{64})$/i;
const SHA = /^[0-9a-f]{7,64}$/i;
const TAG = /^[\w][\w.-]{0,127}$/;
const REPO_PATH = /^[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*$/i;

/** `sha256:<64 lower-case hex>`, or null when the value is not one digest. */
export function normalizeDigest(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const m = DIGEST_EXACT.exec(v.trim());
  return m ? `sha256:${m[1].toLowerCase()}` : null;
}

/** Every `sha256:…` digest written anywhere in a text (e.g. a whole webhook body in one param). */
export function findDigests(text: string): string[] {
  const found = text.match(DIGEST_ANYWHERE) ?? [];
  return [...new Set(found.map((d) => d.toLowerCase()))];
}

/** A git commit SHA (7–64 hex), lower-cased; branch names, placeholders and "" give null. */
export function normalizeSha(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const s = v.trim();
  return SHA.test(s) ? s.toLowerCase() : null;
}

export function revisionOf(
  sha: unknown,
  repoUrl: unknown,
  ref: string | null = null,
): GitRevision | null {
  const s = normalizeSha(sha);
  return s ? { sha: s, repoUrl: normalizeRepoUrl(repoUrl), ref } : null;
}

/**
 * A repository URL as a match key: scp-style and ssh URLs become https, credentials, a trailing
 * "/" and ".git" are dropped, and the whole is lower-cased (forges treat paths case-insensitively).
 * `git@gitlab.com:Group/App.git` and `https://gitlab.com/group/app` give the same key.
 */
export function normalizeRepoUrl(v: unknown): string | null {
  if (typeof v !== "string" || v.trim() === "") return null;
  let s = v.trim();
  const scp = /^[\w.-]+@([^:/]+):(?!\/)(.+)$/.exec(s);
  if (scp) s = `https://${scp[1]}/${scp[2]}`;
  try {
    const u = new URL(s);
    const scheme = u.protocol === "ssh:" || u.protocol === "git:" ? "https:" : u.protocol;
    const host = u.protocol === "ssh:" ? u.hostname : u.host;
    const path = u.pathname.replace(/\/+$/, "").replace(/\.git$/i, "");
    return `${scheme}//${host}${path}`.toLowerCase();
  } catch {
    return s
      .replace(/\/+$/, "")
      .replace(/\.git$/i, "")
      .toLowerCase();
  }
}

/**
 * Parses `[registry/]repo/path[:tag][@sha256:…]`. The first segment is a registry when it has a
 * "." or ":" or is "localhost" (Docker's rule). Returns null for text that is not an image ref.
 */
export function parseImageRef(v: unknown): ImageRef | null {
  if (typeof v !== "string") return null;
  let s = v.trim().replace(/^(?:docker-pullable|docker|oci):\/\//, "");
  if (s === "" || /\s/.test(s)) return null;
  let digest: string | null = null;
  const at = s.indexOf("@");
  if (at >= 0) {
    digest = normalizeDigest(s.slice(at + 1));
    if (!digest) return null;
    s = s.slice(0, at);
  }
  let tag: string | null = null;
  const colon = s.lastIndexOf(":");
  if (colon > s.lastIndexOf("/")) {
    tag = s.slice(colon + 1);
    if (!TAG.test(tag)) return null;
    s = s.slice(0, colon);
  }
  const parts = s.split("/");
  let registry: string | null = null;
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === "localhost")) {
    registry = parts.shift()!.toLowerCase();
  }
  const repository = parts.join("/");
  if (!REPO_PATH.test(repository)) return null;
  return { registry, repository, tag, digest };
}

/** The ref back as text, e.g. for `details.images`. */
export function formatImageRef(r: ImageRef): string {
  const base = r.registry ? `${r.registry}/${r.repository}` : r.repository;
  return `${base}${r.tag ? `:${r.tag}` : ""}${r.digest ? `@${r.digest}` : ""}`;
}

/**
 * ISO-8601 UTC (`toISOString()` form) from an RFC 3339 string or a unix time (seconds, as
 * Harbor's `occur_at`; milliseconds when large). Anything unparseable gives null.
 */
export function isoTime(v: unknown): string | null {
  let ms: number;
  if (typeof v === "number" && Number.isFinite(v) && v > 0) ms = v < 1e12 ? v * 1000 : v;
  else if (typeof v === "string" && v.trim() !== "") ms = Date.parse(v);
  else return null;
  // Date's range ends at ±8.64e15 ms; beyond it toISOString() would throw.
  return Number.isNaN(ms) || Math.abs(ms) > 8.64e15 ? null : new Date(ms).toISOString();
}
