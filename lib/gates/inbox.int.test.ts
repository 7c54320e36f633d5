// The approvals inbox on real Postgres: who may decide which gate and why not (role, named
// approvers, groups from the user record, the author rule, one decision each, expiry, decided
// gates) — and that every verdict is the one the decision path itself then gives. Then, on the
// simulator, a gate opened the way the browser tests open theirs, from the cluster to the run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_FAILURES } from "@/sim";
import { succeededCondition } from "@/sim/test-support";
import type { Principal } from "../auth/principal";
import type { Role } from "../auth/roles";
import { loadClusters } from "../k8s/kubeconfig";
import { CUSTOM_RUNS, objectClient } from "../k8s/objects";
import { databasePerFile } from "@/test/database";
import { decide } from "./decide";
import { accessTo, commitGatesOf, gateInbox, inboxOf, type InboxGate, type Viewer } from "./inbox";
import type { Decider } from "./policy";
import { listGates, getGate } from "./store";
import { CR } from "@/test/gates";
import { startTestEnv, until, type TestEnv } from "@/test/gate-env";

const db = databasePerFile();
const NOW = new Date("2026-11-26T03:00:00Z");
const SHA_CAROL = "c".repeat(40);
const SHA_DAVE = "d".repeat(40);

function viewer(
  name: string,
  roles: Role[],
  groups: string[] = [],
  email = `${name}@example.com`,
): Viewer {
  const principal: Principal = {
    kind: "user",
    id: `u-${name}`,
    username: name,
    name,
    email,
    roles,
    actor: email,
  };
  const decider: Decider = {
    kind: "user",
    key: `user:u-${name}`,
    actor: email,
    username: name,
    email,
    groups,
    roles,
    self: { username: name, email, name },
  };
  return { principal, decider };
}

const carol = viewer("carol", ["viewer", "approver"]);
const erin = viewer("erin", ["viewer", "approver"], ["sre"]);
const dev = viewer("dev", ["viewer"]);

async function gate(
  name: string,
  fields: {
    sha?: string;
    approvers: string[];
    minApprovals?: number;
    authorMayDecide?: boolean;
    expiresAt?: Date;
  },
): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `insert into gates (id, kind, commit_id, environment, cluster, namespace, name, uid, message,
                        min_approvals, approvers, author_may_decide, created_at, expires_at)
     values (gen_random_uuid()::text, 'Approval',
             (select c.id from commits c where c.sha = $1), 'production', 'production', 'ci', $2,
             'uid-' || $2, 'ship ' || $2, $3, $4, $5, $6, $7)
     returning id`,
    [
      fields.sha ?? null,
      name,
      fields.minApprovals ?? 1,
      fields.approvers,
      fields.authorMayDecide ?? false,
      new Date(NOW.getTime() - 60_000).toISOString(),
      fields.expiresAt?.toISOString() ?? null,
    ],
  );
  return rows[0].id;
}

const byName = (gates: InboxGate[], name: string) => {
  const found = gates.find((g) => g.resource.name === name);
  if (!found) throw new Error(`no gate ${name} in ${gates.map((g) => g.resource.name)}`);
  return found;
};

const ids: Record<string, string> = {};

beforeAll(async () => {
  await db.pool.query(`insert into apps (name, repo_url) values ('payments', null)`);
  await db.pool.query(
    `insert into commits (app_id, sha, author, author_email, message, updated_at)
     select id, $1, 'Carol', 'carol@example.com', 'carol''s change', now() from apps
     union all
     select id, $2, 'Dave', 'dave@example.com', 'dave''s change', now() from apps`,
    [SHA_CAROL, SHA_DAVE],
  );
  await db.pool.query(
    `insert into users (id, username, name, email, email_verified, roles, groups)
     values ('u-erin', 'erin', 'erin', 'erin@example.com', now(), '{approver}', '{sre}')`,
  );
  ids.named = await gate("named", { sha: SHA_DAVE, approvers: ["carol", "bob"] });
  ids.others = await gate("others", { sha: SHA_DAVE, approvers: ["alice"] });
  ids.own = await gate("own", { sha: SHA_CAROL, approvers: ["carol", "group:sre"] });
  ids.ownAllowed = await gate("own-allowed", {
    sha: SHA_CAROL,
    approvers: ["carol"],
    authorMayDecide: true,
  });
  ids.twoOf = await gate("two-of", {
    sha: SHA_DAVE,
    approvers: ["carol", "group:sre"],
    minApprovals: 2,
  });
  ids.anyone = await gate("anyone", { sha: SHA_DAVE, approvers: [] });
  ids.unlinked = await gate("unlinked", { approvers: ["carol"] });
  ids.expired = await gate("expired", {
    approvers: ["carol"],
    expiresAt: new Date(NOW.getTime() - 1000),
  });
  ids.done = await gate("done", { sha: SHA_DAVE, approvers: ["carol"] });
  await decide(db.pool, ids.twoOf, carol.decider, { decision: "approve", comment: "fine" }, NOW);
  await decide(db.pool, ids.done, carol.decider, { decision: "approve", comment: null }, NOW);
});

afterAll(async () => {
  const { pool } = await import("../db/pool");
  await pool().end();
});

describe("the approvals inbox", () => {
  it("tells a viewer that deciding needs the approver role, on every gate", async () => {
    const inbox = await inboxOf(db.pool, dev, { now: NOW });
    expect(inbox.actor).toBe("dev@example.com");
    expect(inbox.pending.length).toBe(8);
    for (const g of inbox.pending)
      expect(g).toMatchObject({
        canDecide: false,
        reason: "this needs the approver role; dev@example.com has viewer",
      });
  });

  it("lets a named approver decide, and says why not elsewhere", async () => {
    const { pending, decided } = await inboxOf(db.pool, carol, { now: NOW });
    expect(byName(pending, "named")).toMatchObject({
      canDecide: true,
      reason: null,
      app: "payments",
    });
    expect(byName(pending, "others")).toMatchObject({
      canDecide: false,
      reason: "carol@example.com is not among this gate's approvers (alice)",
    });
    expect(byName(pending, "own")).toMatchObject({
      canDecide: false,
      reason: "carol@example.com wrote or pushed this change and may not approve it",
    });
    expect(byName(pending, "own-allowed")).toMatchObject({ canDecide: true });
    expect(byName(pending, "two-of")).toMatchObject({
      canDecide: false,
      reason: "carol@example.com has already decided this gate",
      decisions: [{ user: "carol@example.com", decision: "approve", comment: "fine" }],
    });
    expect(byName(pending, "anyone")).toMatchObject({ canDecide: true });
    expect(byName(pending, "unlinked")).toMatchObject({
      canDecide: false,
      reason: "the commit's author is not known yet, so separation of duties cannot be checked",
    });
    expect(byName(pending, "expired").reason).toBe(
      `this gate expired at ${new Date(NOW.getTime() - 1000).toISOString()}`,
    );
    expect(byName(decided, "done")).toMatchObject({
      status: "approved",
      canDecide: false,
      reason: "this gate is already approved",
    });
  });

  it("reads a signed-in person's groups from their user record", async () => {
    process.env.DATABASE_URL = db.database.url;
    const { principal } = viewer("erin", ["viewer", "approver"]);
    const inbox = await gateInbox({ ...principal, id: "u-erin" });
    // The group entry lets erin in; on carol's own change the author rule is carol's alone.
    expect(byName(inbox.pending, "own")).toMatchObject({ canDecide: true, reason: null });
    expect(byName(inbox.pending, "two-of")).toMatchObject({ canDecide: true });
    expect(byName(inbox.pending, "named")).toMatchObject({ canDecide: false });
  });

  it("gives a commit's gates with the same verdicts", async () => {
    const gates = await commitGatesOf(db.pool, carol, "payments", SHA_CAROL.toUpperCase(), NOW);
    expect(gates.map((g) => [g.resource.name, g.canDecide]).sort()).toEqual([
      ["own", false],
      ["own-allowed", true],
    ]);
    expect(await commitGatesOf(db.pool, carol, "search", SHA_CAROL, NOW)).toEqual([]);
  });

  it("agrees with the decision path: allowed approvals succeed, refusals give the same reason", async () => {
    const people = [dev, carol, erin];
    const verdicts: { person: Viewer; gate: InboxGate }[] = [];
    for (const person of people)
      for (const g of (await inboxOf(db.pool, person, { now: NOW })).pending)
        verdicts.push({ person, gate: g });
    // Refusals first: a successful approval would change the other verdicts.
    verdicts.sort((a, b) => Number(a.gate.canDecide) - Number(b.gate.canDecide));
    let approved = 0;
    for (const { person, gate: g } of verdicts) {
      // The route guard refuses a viewer before the policy runs; the rest is the policy's.
      if (!person.principal.roles.includes("approver")) continue;
      const fresh = (await inboxOf(db.pool, person, { now: NOW })).pending.find(
        (x) => x.id === g.id,
      );
      if (!fresh) continue; // settled by an earlier approval in this loop
      const outcome = await decide(
        db.pool,
        g.id,
        person.decider,
        { decision: "approve", comment: null },
        NOW,
      ).then(
        () => null,
        (error: Error) => error.message,
      );
      expect({ gate: g.resource.name, who: person.decider.actor, outcome }).toEqual({
        gate: g.resource.name,
        who: person.decider.actor,
        outcome: fresh.reason,
      });
      if (outcome === null) approved += 1;
    }
    expect(approved).toBeGreaterThanOrEqual(4);
  });

  it("accessTo refuses a token without the approver role in the guard's words", () => {
    const token: Principal = {
      kind: "token",
      id: "t1",
      name: "ci",
      roles: ["viewer", "operator"],
      actor: "token:ci",
    };
    const decider: Decider = {
      kind: "token",
      key: "cli:test",
      actor: "token:ci",
      username: null,
      email: null,
      groups: [],
      roles: token.roles,
      self: null,
    };
    const g = {
      status: "pending",
      approvers: [],
      minApprovals: 1,
      authorMayDecide: false,
      expiresAt: null,
      decisions: [],
    } as unknown as InboxGate;
    expect(accessTo(g, { principal: token, decider }, null, NOW)).toEqual({
      canDecide: false,
      reason: 'this needs the approver role; token "ci" has viewer, operator',
    });
  });
});

describe("on the simulator, a gate opened the way the browser tests open one", () => {
  let env: TestEnv;
  beforeAll(async () => {
    // As in the browser tests: the simulator decides its own gates, for users they name.
    env = await startTestEnv({
      seed: 5,
      apps: ["payments"],
      rates: NO_FAILURES,
      play: false,
      decideGates: "approve",
    });
  }, 90_000);
  afterAll(async () => {
    await env?.close();
  });

  it("ties a labelled ApprovalTask to its commit, refuses the author, and a group member's approval passes the run", async () => {
    const commit = env.sim.commit("payments");
    await until(
      async () =>
        (await env.pool.query("select 1 from commits where sha = $1", [commit.sha])).rowCount,
      "the pushed commit",
    );
    // Through the Kubernetes API, as a client outside Shiplog would.
    const [production] = loadClusters({
      kubeconfig: env.sim.kubeconfigPath,
      contexts: [{ context: "production", environment: "production" }],
    });
    const name = `by-hand-${commit.sha.slice(0, 8)}`;
    await objectClient(production.kubeConfig).create(
      { ...CUSTOM_RUNS, namespace: "ci" },
      {
        apiVersion: "tekton.dev/v1beta1",
        kind: "CustomRun",
        metadata: {
          name,
          namespace: "ci",
          labels: { "shiplog.dev/commit": commit.sha, "shiplog.dev/app": "payments" },
        },
        spec: {
          customRef: { apiVersion: "openshift-pipelines.org/v1alpha1", kind: "ApprovalTask" },
          params: [
            { name: "approvers", value: ["group:release-managers"] },
            { name: "numberOfApprovalsRequired", value: "1" },
            { name: "description", value: "Ship it?" },
          ],
        },
      },
    );
    const gate = await until(
      async () =>
        (await listGates(env.pool, { status: "pending", limit: 100 })).find(
          (g) => g.resource.name === name && g.sha === commit.sha,
        ),
      "the gate, tied to the commit",
    );
    expect(gate).toMatchObject({
      kind: "ApprovalTask",
      app: "payments",
      approvers: ["group:release-managers"],
      message: "Ship it?",
    });

    // Named by group only, it waits for a person (the simulator would have voted by now).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await getGate(env.pool, gate.id))?.status).toBe("pending");

    const author = viewer(
      commit.author.username,
      ["viewer", "approver"],
      ["release-managers"],
      commit.author.email,
    );
    const member = viewer("erin", ["viewer", "approver"], ["release-managers"]);
    const forAuthor = (await commitGatesOf(env.pool, author, "payments", commit.sha)).find(
      (g) => g.id === gate.id,
    );
    expect(forAuthor).toMatchObject({
      canDecide: false,
      reason: `${commit.author.email} wrote or pushed this change and may not approve it`,
    });
    const forMember = (await commitGatesOf(env.pool, member, "payments", commit.sha)).find(
      (g) => g.id === gate.id,
    );
    expect(forMember).toMatchObject({ canDecide: true, reason: null });

    const decided = await decide(env.pool, gate.id, member.decider, {
      decision: "approve",
      comment: "looks right",
    });
    expect(decided.status).toBe("approved");
    await until(
      async () =>
        succeededCondition(env.sim.clusters.production.get(CR, "ci", name))?.status === "True",
      "the CustomRun to pass",
      30_000,
    );
  });
});
