// Who is asking. Harbor's basic-auth security generator turns bad or missing credentials into
// an anonymous request (not a 401): anonymous callers may read public projects, and are told
// 401 UNAUTHORIZED by whatever needs more (RequireProjectAccess).
import { timingSafeEqual } from "node:crypto";
import { notFound, unauthorized } from "./errors";
import type { ProjectRecord } from "./types";

export interface Viewer {
  authenticated: boolean;
  /** The user name when authenticated. */
  username: string | null;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Reads `Authorization: Basic ...` and checks it against the one configured user. */
export function authenticate(
  header: string | undefined,
  user: { username: string; password: string },
): Viewer {
  const match = /^basic\s+(\S+)$/i.exec(header ?? "");
  if (!match) return { authenticated: false, username: null };
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return { authenticated: false, username: null };
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return same(username, user.username) && same(password, user.password)
    ? { authenticated: true, username }
    : { authenticated: false, username: null };
}

/**
 * RequireProjectAccess for the simulator's single (system admin) user: anonymous callers may
 * only read public projects; a missing project is 401 to them and 404 to the admin.
 */
export function requireProjectAccess(
  viewer: Viewer,
  project: ProjectRecord | undefined,
  name: string,
  action: "read" | "write",
): ProjectRecord {
  if (!viewer.authenticated) {
    if (project && project.public && action === "read") return project;
    throw unauthorized();
  }
  if (!project) throw notFound(`project ${name} not found`);
  return project;
}
