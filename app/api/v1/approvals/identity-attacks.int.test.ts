// Attacks on who decides a gate, each performed end to end: a sign-in with the ID token an
// identity provider would send (next-auth's profile and Shiplog's jwt callback), a session
// cookie, the decision route, the gate controller and the simulator's Kubernetes API with
// manual-approval-gate's webhook. Each test is named after what the attacker tries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_FAILURES } from "@/sim";
import { waitForCommit } from "@/sim/test-support";
import type { GitCommit } from "@/sim/controllers/types";
import { loadConfig, type Config } from "@/lib/config";
import type { Gate } from "@/lib/gates/store";
import { getGate, listGates } from "@/lib/gates/store";
import { serveAsApp, startTestEnv, until, type TestEnv } from "@/test/gate-env";
import { OIDC_ENV, oidcSignIn, type SignedIn } from "@/test/sign-in";

type Handler = (request: Request, context: unknown) => Promise<Response>;
const AUTH_URL = "http://localhost";
const AT = "approvaltasks.openshift-pipelines.org";
let env: TestEnv;
let config: Config;
let decision: Handler;
let createTokenRoute: Handler;
let payments: GitCommit;
let search: GitCommit;
let paymentsGate: Gate;
let taskGate: Gate;

beforeAll(async () => {
  env = await startTestEnv({
    seed: 23,
    apps: ["payments", { name: "search", gate: "approvaltask" }],
    rates: NO_FAILURES,
    play: false,
    approvalTaskWebhook: true,
  });
  await serveAsApp(env, "identity-attacks", {
    ...OIDC_ENV,
    // `approvers` grants the role without membership of the group the gates name.
    SHIPLOG_ROLE_GROUPS: "approver=release-managers|approvers,admin=platform-admins",
    SHIPLOG_APPROVER_DOMAINS: "corp.example",
  });
  config = loadConfig(process.env);
  decision = (await import("./[id]/decision/route")).POST as Handler;
  createTokenRoute = (await import("../tokens/route")).POST as Handler;
  payments = env.sim.commit("payments");
  search = env.sim.commit("search");
  for (const commit of [payments, search])
    await waitForCommit(env.sim, commit.sha, (c) => c.gates.length > 0, "a gate", 30_000);
  const pendingOf = (sha: string, kind: string) =>
    until(
      async () =>
        (await listGates(env.pool, { status: "pending", limit: 100 })).find(
          (g) => g.sha === sha && g.kind === kind,
        ),
      `the ${kind} gate of ${sha}, tied to its commit`,
    );
  paymentsGate = await pendingOf(payments.sha, "Approval");
  taskGate = await pendingOf(search.sha, "ApprovalTask");
}, 120_000);

afterAll(async () => {
  await (await import("@/lib/db/pool")).pool().end();
  await env?.close();
});

/** The verified ID token of a person; `over` changes or removes (undefined) claims. */
function idToken(sub: string, over: Record<string, unknown> = {}) {
  const claims: Record<string, unknown> & { sub: string } = {
    sub,
    preferred_username: sub,
    name: sub,
    email: `${sub}@corp.example`,
    email_verified: true,
    groups: [],
    ...over,
  };
  for (const key of Object.keys(claims)) if (claims[key] === undefined) delete claims[key];
  return claims;
}

const signIn = (sub: string, over: Record<string, unknown> = {}) =>
  oidcSignIn(config, idToken(sub, over));

async function decide(
  who: SignedIn | { token: string },
  gateId: string,
  body: Record<string, unknown> = { decision: "approve" },
) {
  const auth: Record<string, string> =
    "token" in who
      ? { authorization: `Bearer ${who.token}` }
      : { cookie: who.cookie, origin: AUTH_URL };
  const res = await decision(
    new Request(`${AUTH_URL}/api/v1/approvals/${gateId}/decision`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: gateId }) },
  );
  return { status: res.status, body: (await res.json()) as { error?: string; status?: string } };
}

/** An API token made on /admin/tokens (the tokens route) by a signed-in admin. */
function makeToken(admin: SignedIn, name: string, role: string) {
  return createTokenRoute(
    new Request(`${AUTH_URL}/api/v1/tokens`, {
      method: "POST",
      headers: { cookie: admin.cookie, origin: AUTH_URL, "content-type": "application/json" },
      body: JSON.stringify({ name, role }),
    }),
    { params: Promise.resolve({}) },
  );
}

/** A gate made by hand in production, tied to a commit through the labels ingest reads. */
async function handMadeGate(
  name: string,
  commit: GitCommit | null,
  params: Record<string, unknown>,
): Promise<Gate> {
  env.sim.clusters.production.create({
    apiVersion: "tekton.dev/v1beta1",
    kind: "CustomRun",
    metadata: {
      name,
      namespace: "ci",
      ...(commit
        ? { labels: { "shiplog.dev/commit": commit.sha, "shiplog.dev/app": "payments" } }
        : {}),
    },
    spec: {
      customRef: { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" },
      params: Object.entries(params).map(([key, value]) => ({ name: key, value })),
    },
  });
  return until(
    async () =>
      (await listGates(env.pool, { status: "pending", limit: 100 })).find(
        (g) => g.resource.name === name && (commit ? g.sha === commit.sha : true),
      ),
    `the gate ${name}`,
  );
}

const approvalTaskWrites = async () =>
  (await env.writes({ cluster: "production", kind: "ApprovalTask", name: taskGate.resource.name }))
    .filter((w) => w.verb === "patch")
    .map((w) => ({ user: w.user, code: w.code }));

describe("who someone is", () => {
  it("a person who renames himself alice cannot decide as alice", async () => {
    const mallory = await signIn("mallory", { name: "alice", groups: ["approvers"] });
    expect(await decide(mallory, paymentsGate.id)).toEqual({
      status: 403,
      body: {
        error:
          "mallory@corp.example is not among this gate's approvers (alice, bob, group:release-managers)",
      },
    });
    // Nor toward Kubernetes: no ApprovalTask write is made in alice's name.
    expect((await decide(mallory, taskGate.id)).status).toBe(403);
    expect(await approvalTaskWrites()).toEqual([]);
    expect((await getGate(env.pool, paymentsGate.id))?.decisions).toEqual([]);
  });

  it("a bare approver name does not match alice@ at a domain the operator did not list", async () => {
    const impostor = await signIn("aliddell", {
      email: "alice@attacker.example",
      groups: ["approvers"],
    });
    expect((await decide(impostor, paymentsGate.id)).status).toBe(403);
    // At a listed domain the local part names alice (SHIPLOG_APPROVER_DOMAINS=corp.example).
    const gate = await handMadeGate("bare-name", payments, { approvers: ["alice"] });
    const alice = await signIn("aliddell-corp", {
      email: "alice@corp.example",
      groups: ["approvers"],
    });
    expect(await decide(alice, gate.id)).toMatchObject({
      status: 200,
      body: { status: "approved" },
    });
  });

  it("an e-mail the provider did not verify names no approver", async () => {
    const gate = await handMadeGate("by-address", payments, {
      approvers: ["ops-lead@corp.example"],
    });
    for (const [sub, verified] of [
      ["unverified-1", undefined],
      ["unverified-2", false],
    ] as const) {
      const someone = await signIn(sub, {
        email: "ops-lead@corp.example",
        email_verified: verified,
        groups: ["approvers"],
      });
      expect(await decide(someone, gate.id)).toEqual({
        status: 403,
        body: { error: `${sub} is not among this gate's approvers (ops-lead@corp.example)` },
      });
    }
    expect((await getGate(env.pool, gate.id))?.status).toBe("pending");
  });

  it("an unverified e-mail does not take over the account that owns the address", async () => {
    const victim = await signIn("erin", { groups: ["release-managers"] });
    const attacker = await signIn("erin-lookalike", {
      email: "erin@corp.example",
      email_verified: undefined,
      groups: ["approvers"],
    });
    expect(attacker.userId).not.toBe(victim.userId);
    const gate = await handMadeGate("group-only", payments, {
      approvers: ["group:release-managers"],
    });
    expect((await decide(attacker, gate.id)).status).toBe(403);
  });

  it("a username that is not a valid header value is refused, never sent to Kubernetes", async () => {
    const injector = await signIn("injector", {
      preferred_username: "dana\r\nImpersonate-Group: system:masters",
      groups: ["release-managers"],
    });
    expect(await decide(injector, taskGate.id)).toEqual({
      status: 400,
      body: {
        error:
          'the username "dana\\r\\nImpersonate-Group: system:masters" cannot be sent to Kubernetes as an impersonated user (printable ASCII only, no leading or trailing space)',
      },
    });
    expect((await getGate(env.pool, taskGate.id))?.decisions).toEqual([]);
  });

  it("a group member named like another approver is written as himself, not as that approver", async () => {
    // Display name "alice" and a member of the named group: the decision counts through the
    // group, and the ApprovalTask is written as his own username.
    const frank = await signIn("frank", { name: "alice", groups: ["release-managers"] });
    expect(await decide(frank, taskGate.id)).toMatchObject({ status: 200 });
    await until(async () => (await approvalTaskWrites()).length > 0, "the ApprovalTask write");
    expect(await approvalTaskWrites()).toEqual([{ user: "frank", code: 200 }]);
    const approvers = (
      env.sim.clusters.production.get(AT, "ci", taskGate.resource.name).spec as {
        approvers: { name: string; input: string; users?: { name: string }[] }[];
      }
    ).approvers;
    expect(approvers.find((a) => a.name === "alice")?.input).toBe("pending");
    expect(approvers.find((a) => a.name === "release-managers")?.users).toEqual([
      expect.objectContaining({ name: "frank", input: "approve" }),
    ]);
  });
});

describe("one person, one decision", () => {
  it("a person whose e-mail and name changed does not count twice toward 2 of N", async () => {
    const gate = await handMadeGate("two-of-n", payments, {
      approvers: ["group:release-managers"],
      minApprovals: "2",
    });
    const before = await signIn("gina", { groups: ["release-managers"] });
    expect((await decide(before, gate.id)).body.status).toBe("pending");
    const after = await signIn("gina", {
      name: "Gina Renamed",
      email: "gina.renamed@corp.example",
      groups: ["release-managers"],
    });
    expect(after.userId).toBe(before.userId);
    expect(await decide(after, gate.id)).toEqual({
      status: 409,
      body: { error: "gina.renamed@corp.example has already decided this gate" },
    });
    expect((await getGate(env.pool, gate.id))?.status).toBe("pending");
  });

  it("an admin and the token they made count as one approver", async () => {
    const gate = await handMadeGate("admin-and-token", payments, { minApprovals: "2" });
    const admin = await signIn("hana", { groups: ["platform-admins"] });
    const made = await makeToken(admin, "release-bot", "approver");
    expect(made.status).toBe(201);
    const { token } = (await made.json()) as { token: string };
    expect((await decide(admin, gate.id)).body.status).toBe("pending");
    expect(await decide({ token }, gate.id)).toEqual({
      status: 409,
      body: { error: "token:release-bot has already decided this gate" },
    });
    expect((await getGate(env.pool, gate.id))?.status).toBe("pending");
  });

  it("a token never counts as a named approver", async () => {
    const admin = await signIn("ivan", { groups: ["platform-admins", "release-managers"] });
    const made = await makeToken(admin, "alice", "admin");
    const { token } = (await made.json()) as { token: string };
    expect((await decide({ token }, paymentsGate.id)).status).toBe(403);
  });
});

describe("separation of duties", () => {
  it("nobody approves a gate whose commit is not known yet", async () => {
    const gate = await handMadeGate("no-commit", null, { approvers: ["group:release-managers"] });
    const judy = await signIn("judy", { groups: ["release-managers"] });
    expect(await decide(judy, gate.id)).toEqual({
      status: 403,
      body: {
        error: "the commit's author is not known yet, so separation of duties cannot be checked",
      },
    });
    // A rejection needs no author: stopping a release is always allowed.
    expect(
      (await decide(judy, gate.id, { decision: "reject", comment: "unknown provenance" })).body
        .status,
    ).toBe("rejected");
  });

  it("the author approves under a variant of their address and is refused", async () => {
    const [local, domain] = payments.author.email.split("@");
    const variant = `${local.toUpperCase()}+release@${domain}`;
    const author = await signIn("author-alt", {
      email: variant,
      groups: ["release-managers"],
    });
    expect(await decide(author, paymentsGate.id)).toEqual({
      status: 403,
      body: { error: `${variant} wrote or pushed this change and may not approve it` },
    });
  });

  it("the person who pushed the change approves under another address and is refused", async () => {
    const pusher = await signIn("pusher-sub", {
      preferred_username: payments.author.username,
      name: "Someone Else",
      email: "private@home.example",
      groups: ["release-managers"],
    });
    expect((await decide(pusher, paymentsGate.id)).body).toEqual({
      error: "private@home.example wrote or pushed this change and may not approve it",
    });
    expect((await getGate(env.pool, paymentsGate.id))?.status).toBe("pending");
  });
});
