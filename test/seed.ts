// Test-only: writes lib/timeline's reference scenario into a real database the way the store
// would (rows, links, commit_id on what correlation linked), returning the ids it got.
import { scenario } from "@/test/timeline-rows";
import type { TimelineInput } from "@/lib/timeline/types";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";

export interface Seeded {
  appId: number;
  commitId: bigint;
  /** Scenario row id → database id, for resources and artifacts. */
  resources: Map<number, bigint>;
  artifacts: Map<number, bigint>;
}

const json = (v: unknown) => v as Prisma.InputJsonValue;

/**
 * Seeds `input` (default: the reference scenario) for app `appName`. Rows named in `input.links`
 * get commit_id and a link; the others (child TaskRuns, the ApprovalTask, the kpack Image) are
 * stored unlinked, as the store leaves them until correlation reaches them.
 */
export async function seedTimeline(
  client: PrismaClient,
  appName: string,
  input: TimelineInput = scenario(),
  commit: Partial<Prisma.CommitUncheckedCreateInput> = {},
): Promise<Seeded> {
  const app = await client.app.upsert({
    where: { name: appName },
    create: { name: appName, repoUrl: input.app.repoUrl },
    update: {},
  });
  const c = await client.commit.create({
    data: { appId: app.id, ...input.commit, status: "waiting", ...commit },
  });
  const linked = new Set(input.links.map((l) => `${l.toType}:${l.toId}`));
  const resources = new Map<number, bigint>();
  for (const r of input.resources) {
    const o = r.observation as { digests?: string[] };
    const row = await client.resource.create({
      data: {
        system: r.system,
        kind: r.kind,
        cluster: r.cluster,
        namespace: r.namespace,
        name: r.name,
        uid: `${appName}-${r.uid}`,
        key: r.key,
        object: json(r.object),
        observation: json(r.observation),
        stage: r.stage,
        status: r.status,
        reason: r.reason,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        parentKey: r.parentKey,
        environment: r.environment,
        digests: o.digests ?? [],
        commitId: linked.has(`resource:${r.id}`) ? c.id : null,
      },
    });
    resources.set(Number(r.id), row.id);
  }
  const artifacts = new Map<number, bigint>();
  for (const a of input.artifacts) {
    const row = await client.artifact.create({
      data: {
        project: a.project,
        repository: `${a.repository}-${appName}`,
        digest: a.digest,
        tags: a.tags,
        pushedAt: a.pushedAt,
        scanStatus: a.scanStatus,
        severity: a.severity,
        scanSummary: a.scanSummary === null ? undefined : json(a.scanSummary),
        scanner: a.scanner,
      },
    });
    artifacts.set(Number(a.id), row.id);
  }
  await client.link.createMany({
    data: input.links.map((l) => ({
      fromType: "commit",
      fromId: c.id,
      toType: l.toType,
      toId: (l.toType === "resource" ? resources : artifacts).get(Number(l.toId))!,
      rule: l.rule,
      evidence: l.evidence,
    })),
  });
  return { appId: app.id, commitId: c.id, resources, artifacts };
}
