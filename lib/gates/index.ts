// The gate entry points the routes use, bound to this process's database pool: list and read
// gates, and decide one as the signed-in person (their groups come from their user record).
import "server-only";
import type { Principal } from "../auth/principal";
import { pool } from "../db/pool";
import { NotFound } from "../errors";
import { decide } from "./decide";
import type { Decider, DecisionInput } from "./policy";
import { getGate, listGates, type Gate } from "./store";

export type { Gate } from "./store";

/** The person behind a principal as the gate policy sees them; a token is named token:NAME. */
export async function deciderFor(principal: Principal): Promise<Decider> {
  if (principal.kind === "token")
    return {
      actor: principal.actor,
      name: principal.actor,
      email: null,
      groups: [],
      roles: principal.roles,
    };
  const { rows } = await pool().query<{ groups: string[] }>(
    "select groups from users where id = $1",
    [principal.id],
  );
  return {
    actor: principal.actor,
    name: principal.name,
    email: principal.email,
    groups: rows[0]?.groups ?? [],
    roles: principal.roles,
  };
}

export function approvals(
  status: "pending" | "decided" | undefined,
  limit: number,
): Promise<Gate[]> {
  return listGates(pool(), { status, limit });
}

export async function approval(id: string): Promise<Gate> {
  const gate = await getGate(pool(), id);
  if (!gate) throw new NotFound(`no gate ${id}`);
  return gate;
}

export async function decideAs(
  principal: Principal,
  id: string,
  input: DecisionInput,
): Promise<Gate> {
  return decide(pool(), id, await deciderFor(principal), input);
}
