// Bearer-token authentication and Impersonate-* headers (no RBAC: every authenticated user may impersonate).
import type { IncomingMessage } from "node:http";
import type { RequestUser } from "./types";

export interface TokenUser {
  user: string;
  groups: string[];
}

export const DEFAULT_TOKEN = "shiplog-sim-token";
export const DEFAULT_TOKENS: Record<string, TokenUser> = {
  [DEFAULT_TOKEN]: { user: "shiplog", groups: ["system:authenticated"] },
};

function headerValues(req: IncomingMessage, name: string): string[] {
  const distinct = req.headersDistinct?.[name];
  if (distinct)
    return distinct
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean);
  const raw = req.headers[name];
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : raw.split(",")).map((v) => v.trim()).filter(Boolean);
}

/** The user a request acts as, or undefined when its token is missing or unknown (401). */
export function authenticate(
  req: IncomingMessage,
  tokens: Record<string, TokenUser>,
): RequestUser | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
  const who = m ? tokens[m[1].trim()] : undefined;
  if (!who) return undefined;
  const impersonate = headerValues(req, "impersonate-user")[0];
  if (!impersonate) return { user: who.user, groups: [...who.groups] };
  const groups = headerValues(req, "impersonate-group");
  return {
    user: impersonate,
    groups: groups.length ? groups : ["system:authenticated"],
    impersonatedBy: who.user,
  };
}
