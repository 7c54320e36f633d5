// The approvals routes against the simulator on real Postgres: the list for viewers, decisions for
// approvers with the reason when refused (403) and 409 once decided, a person's groups read from
// their user record behind a session cookie, and the paused production run resuming.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_FAILURES } from "@/sim";
import { waitForCommit } from "@/sim/test-support";
import type { Role } from "@/lib/auth/roles";
import { sealSession } from "@/lib/auth/session";
import { loadConfig } from "@/lib/config";
import type { Gate } from "@/lib/gates/store";
import { serveAsApp, startTestEnv, until, type TestEnv } from "@/test/gate-env";

type Handler = (request: Request, context: unknown) => Promise<Response>;
let env: TestEnv;
let sha: string;
let list: Handler;
let decision: Handler;
let tokens: Record<Role, string>;
const AUTH_URL = "http://localhost";

beforeAll(async () => {
  env = await startTestEnv({ seed: 9, apps: ["payments"], rates: NO_FAILURES, play: false });
  tokens = await serveAsApp(env, "approvals");
  list = (await import("./route")).GET as Handler;
  decision = (await import("./[id]/decision/route")).POST as Handler;
  sha = env.sim.commit("payments").sha;
  await waitForCommit(
    env.sim,
    sha,
    (c) => c.gates.length > 0,
    "the commit at its production gate",
    30_000,
  );
}, 90_000);

afterAll(async () => {
  await (await import("@/lib/db/pool")).pool().end();
  await env?.close();
});

describe("approval routes", () => {
  const call = (
    handler: Handler,
    url: string,
    role: Role | null,
    init: RequestInit = {},
    params = {},
  ) =>
    handler(
      new Request(`${AUTH_URL}${url}`, {
        ...init,
        headers: {
          ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}),
          "content-type": "application/json",
        },
      }),
      { params: Promise.resolve(params) },
    );

  it("lists pending gates for viewers; decides for approvers only, with reasons; 409 once decided", async () => {
    expect((await call(list, "/api/v1/approvals", null)).status).toBe(401);
    const gates = await until(async () => {
      const res = await call(list, "/api/v1/approvals?status=pending", "viewer");
      const all = (await res.json()) as Gate[];
      return all.find((g) => g.sha === sha);
    }, "the commit's gate in the list");
    const url = `/api/v1/approvals/${gates.id}/decision`;
    const approve = { method: "POST", body: JSON.stringify({ decision: "approve" }) };
    const viewer = await call(decision, url, "viewer", approve, { id: gates.id });
    expect(viewer.status).toBe(403);
    const approver = await call(decision, url, "approver", approve, { id: gates.id });
    expect(approver.status).toBe(403);
    expect(await approver.json()).toEqual({
      error:
        "an API token cannot decide a gate that names approvers (alice, bob, group:release-managers); sign in as one of them",
    });
    const bad = await call(
      decision,
      url,
      "approver",
      { method: "POST", body: JSON.stringify({ decision: "maybe" }) },
      { id: gates.id },
    );
    expect(await bad.json()).toEqual({ error: "decision: must be approve or reject" });
    // A gate that names no one is for the approver role.
    await env.pool.query("update gates set approvers = '{}' where id = $1", [gates.id]);
    const ok = await call(decision, url, "approver", approve, { id: gates.id });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      id: gates.id,
      status: "approved",
      sha,
      app: "payments",
    });
    const late = await call(decision, url, "admin", approve, { id: gates.id });
    expect(late.status).toBe(409);
    expect(await late.json()).toEqual({ error: "this gate is already approved" });
    const decided = (await (
      await call(list, "/api/v1/approvals?status=decided", "viewer")
    ).json()) as Gate[];
    expect(decided.map((g) => g.id)).toContain(gates.id);
    await waitForCommit(
      env.sim,
      sha,
      (c) => c.pipelineRuns.some((p) => p.environment === "production" && p.status === "succeeded"),
      "the production run after the route's approval",
    );
  });

  it("a signed-in member of a named group decides; their groups come from their user record", async () => {
    await env.pool.query(
      `insert into users (id, username, name, email, email_verified, roles, groups)
       values ('u-erin', 'erin', 'erin', 'erin@shop.example.com', now(), '{approver}', '{release-managers}')`,
    );
    const cookie = await sealSession(
      {
        sub: "u-erin",
        username: "erin",
        name: "erin",
        email: "erin@shop.example.com",
        roles: ["approver"],
        provider: "oidc",
      },
      loadConfig(process.env),
    );
    env.sim.clusters.production.create({
      apiVersion: "tekton.dev/v1beta1",
      kind: "CustomRun",
      metadata: { name: "release-managers-only", namespace: "ci" },
      spec: {
        customRef: { apiVersion: "shiplog.dev/v1alpha1", kind: "Approval" },
        // Tied to no commit, its author is unknown: only a gate that lets the author approve
        // can be approved at all.
        params: [
          { name: "approvers", value: ["group:release-managers"] },
          { name: "allowAuthorApproval", value: "true" },
        ],
      },
    });
    const gate = await until(async () => {
      const all = (await (
        await call(list, "/api/v1/approvals?status=pending", "viewer")
      ).json()) as Gate[];
      return all.find((g) => g.resource.name === "release-managers-only");
    }, "the hand-made gate");
    const res = await decision(
      new Request(`${AUTH_URL}/api/v1/approvals/${gate.id}/decision`, {
        method: "POST",
        headers: {
          cookie: `next-auth.session-token=${cookie}`,
          origin: AUTH_URL,
          "content-type": "application/json",
        },
        body: JSON.stringify({ decision: "approve", comment: "on call agrees" }),
      }),
      { params: Promise.resolve({ id: gate.id }) },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "approved",
      decisions: [
        { user: "erin@shop.example.com", decision: "approve", comment: "on call agrees" },
      ],
    });
  });
});
