// The gate entry points the routes use, bound to this process's database pool: list and read
// gates, and decide one as the signed-in person (their groups come from their user record).
import "server-only";
import type { Principal } from "../auth/principal";
import { pool } from "../db/pool";
import { decide } from "./decide";
import { config } from "../config";
import type { Decider, DecisionInput, PolicyOptions } from "./policy";
import { deciderRecord, listGates, tokenMaker, type Gate } from "./store";

export type { Gate } from "./store";

/**
 * The person behind a principal as the gate policy sees them, from their user record: the
 * provider's username, the e-mail only while verified, the ID token's groups. A token is named
 * token:NAME, is never a named approver and decides as the person who made it.
 */
export async function deciderFor(principal: Principal): Promise<Decider> {
  if (principal.kind === "token") {
    const maker = await tokenMaker(pool(), principal.id);
    return {
      kind: "token",
      key: maker?.created_by_user
        ? `user:${maker.created_by_user}`
        : `cli:${maker?.created_by ?? principal.id}`,
      actor: principal.actor,
      username: null,
      email: null,
      groups: [],
      roles: principal.roles,
      self: maker?.created_by_user
        ? { username: maker.username, email: maker.email, name: maker.name }
        : null,
    };
  }
  const user = await deciderRecord(pool(), principal.id);
  const username = user?.username ?? null;
  const email = user?.email ?? null;
  return {
    kind: "user",
    key: `user:${principal.id}`,
    actor: principal.actor,
    username,
    email,
    groups: user?.groups ?? [],
    roles: principal.roles,
    self: user ? { username, email, name: user.name } : null,
  };
}

/** The gate policy's settings from this process's configuration. */
export function policyOptions(): PolicyOptions {
  return { approverDomains: config().auth.approverDomains };
}

export function approvals(
  status: "pending" | "decided" | undefined,
  limit: number,
): Promise<Gate[]> {
  return listGates(pool(), { status, limit });
}

export async function decideAs(
  principal: Principal,
  id: string,
  input: DecisionInput,
): Promise<Gate> {
  return decide(pool(), id, await deciderFor(principal), input, new Date(), policyOptions());
}
