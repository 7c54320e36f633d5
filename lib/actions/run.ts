// Operators' actions: re-run a PipelineRun, rebuild a kpack Image, sync or hard-refresh an Argo CD
// Application. The target must be a configured cluster and Kubernetes names of an object Shiplog
// has stored; a refusal is audited and nothing touches the cluster. The Action row and its audit
// record are written in one transaction before the cluster is touched (an Idempotency-Key makes a
// repeat return the same Action and touch nothing), then the outcome and its audit record in a
// second one. A re-run of a run that waited for a start gate waits for a new one.
import type pg from "pg";
import { writeAudit } from "../audit";
import { transaction } from "../db/pool";
import { AppError, BadInput, Conflict, NotFound, Upstream } from "../errors";
import type { KubeObject } from "../k8s/informer";
import {
  ARGO_APPLICATIONS,
  KPACK_BUILDS,
  KPACK_IMAGES,
  KubeApiError,
  PIPELINE_RUNS,
  type ObjectClient,
} from "../k8s/objects";
import {
  hardRefreshPatch,
  mustHoldRerun,
  newestBuild,
  rebuildPatch,
  rerunPipelineRun,
  syncPatch,
} from "./bodies";
import { operationsFor, type RerunOperation, type RerunTarget } from "./contract";
import { assertNames } from "./names";
import {
  actionByKey,
  finishAction,
  insertAction,
  startGateStatus,
  storedUids,
  type ActionRow,
} from "./store";

export type ActionInput = RerunTarget & {
  reason: string | null;
  /** For an Application: sync (the default) or hard-refresh. */
  operation: RerunOperation | null;
};

export type ActionResult = { id: string; status: string; result: Record<string, unknown> | null };

/** Which operation the kind allows (or defaults to); BadInput for anything else. */
export function operationFor(input: ActionInput): RerunOperation {
  const ops = operationsFor(input.system, input.kind);
  if (!ops)
    throw new BadInput(
      `cannot act on ${input.system} ${input.kind}: re-run a tekton PipelineRun, rebuild a kpack Image or Build, sync an argocd Application`,
    );
  const op = input.operation ?? ops[0];
  if (!ops.includes(op))
    throw new BadInput(`operation ${op} does not apply to ${input.kind}; use ${ops.join(" or ")}`);
  return op;
}

const where = (input: ActionInput) =>
  `${input.kind} ${input.namespace}/${input.name} in ${input.cluster}`;

/** NotFound unless Shiplog has stored this object of the input's kind, namespace and name. */
async function assertStored(pool: pg.Pool, input: ActionInput): Promise<string[]> {
  const uids = await storedUids(pool, input);
  if (uids.length === 0)
    throw new NotFound(
      `Shiplog has not stored ${where(input)}: it acts only on objects it watches; check the name, or wait until the object shows on its timeline`,
    );
  return uids;
}

async function isRepeat(pool: pg.Pool, key: string | null): Promise<boolean> {
  if (key === null) return false;
  return (await actionByKey(pool, key)) !== null;
}

/** The object as the cluster holds it must be the one Shiplog stored (not one made since). */
function assertSame(input: ActionInput, stored: string[], live: KubeObject): void {
  if (!stored.includes(live.metadata?.uid ?? ""))
    throw new NotFound(
      `${where(input)} is not the object Shiplog has stored (it was replaced); wait until the new one shows on its timeline`,
    );
}

async function perform(
  pool: pg.Pool,
  client: ObjectClient,
  input: ActionInput,
  op: RerunOperation,
  actor: string,
  now: Date,
  stored: string[],
): Promise<Record<string, unknown>> {
  const ns = input.namespace;
  if (op === "rerun") {
    const ref = { ...PIPELINE_RUNS, namespace: ns };
    const original = await client.get(ref, input.name);
    assertSame(input, stored, original);
    const gate = await startGateStatus(pool, input.cluster, original.metadata?.uid ?? "");
    const held = mustHoldRerun(original, gate);
    const created = await client.create(ref, rerunPipelineRun(original, { held }));
    return {
      kind: "PipelineRun",
      name: created.metadata?.name,
      uid: created.metadata?.uid,
      ...(held ? { heldForApproval: true } : {}),
    };
  }
  if (op === "rebuild") {
    const ref = { ...KPACK_BUILDS, namespace: ns };
    const named = await client.get(
      input.kind === "Image" ? { ...KPACK_IMAGES, namespace: ns } : ref,
      input.name,
    );
    assertSame(input, stored, named);
    // For a Build, rebuild its Image: kpack builds the Image's current inputs (kp image trigger).
    const image =
      input.kind === "Image" ? input.name : named.metadata?.labels?.["image.kpack.io/image"];
    if (!image) throw new BadInput(`Build ${input.name} names no Image (image.kpack.io/image)`);
    const build = newestBuild(await client.list(ref, `image.kpack.io/image=${image}`));
    if (!build?.metadata?.name) throw new Conflict(`Image ${image} has no Build to trigger from`);
    await client.mergePatch(ref, build.metadata.name, rebuildPatch(now));
    return { kind: "Image", name: image, triggeredOn: build.metadata.name };
  }
  const ref = { ...ARGO_APPLICATIONS, namespace: ns };
  const app = await client.get(ref, input.name);
  assertSame(input, stored, app);
  if (op === "hard-refresh") {
    await client.mergePatch(ref, input.name, hardRefreshPatch());
    return { kind: "Application", name: input.name, refresh: "hard" };
  }
  try {
    await client.mergePatch(ref, input.name, syncPatch(app, actor));
  } catch (err) {
    // Someone set an operation between our read and our write.
    if (err instanceof KubeApiError && err.code === 409)
      throw new Conflict("another operation is already in progress");
    throw err;
  }
  return { kind: "Application", name: input.name, operation: "sync" };
}

export async function runAction(options: {
  pool: pg.Pool;
  client: (cluster: string) => ObjectClient | undefined;
  actor: string;
  input: ActionInput;
  idempotencyKey: string | null;
  now?: Date;
}): Promise<ActionResult> {
  const { pool, input, actor } = options;
  const now = options.now ?? new Date();
  const target = `${input.system}:${input.cluster}/${input.namespace}/${input.kind}/${input.name}`;
  // Checked before anything is written or the cluster is asked; each refusal is audited.
  let op: RerunOperation = input.operation ?? "rerun";
  let client: ObjectClient | undefined;
  let stored: string[];
  try {
    op = operationFor(input);
    assertNames(input);
    client = options.client(input.cluster);
    if (!client) throw new BadInput(`unknown cluster ${input.cluster}`);
    // A repeat of a recorded request is answered from its Action below, whatever the cluster
    // holds now; with nothing stored, its object is refused by assertSame should it get there.
    stored = (await isRepeat(pool, options.idempotencyKey)) ? [] : await assertStored(pool, input);
  } catch (err) {
    if (err instanceof AppError)
      await auditRefusal(pool, actor, `action.${op}`, target, input, err);
    throw err;
  }
  const audit = `action.${op}`;

  const started = await transaction(pool, async (db) => {
    const inserted = await insertAction(db, options.idempotencyKey, actor, input);
    if (inserted) {
      await writeAudit(db, {
        actor,
        action: audit,
        target,
        outcome: "success",
        details: { actionId: inserted.id, status: "accepted", reason: input.reason },
      });
      return { row: inserted, fresh: true };
    }
    const existing = (await actionByKey(db, options.idempotencyKey as string)) as ActionRow;
    const same =
      existing.actor === actor &&
      existing.system === input.system &&
      existing.cluster === input.cluster &&
      existing.namespace === input.namespace &&
      existing.kind === input.kind &&
      existing.name === input.name;
    if (!same) throw new Conflict("this Idempotency-Key was already used for a different request");
    return { row: existing, fresh: false };
  });
  if (!started.fresh)
    return { id: started.row.id, status: started.row.status, result: started.row.result };

  let status = "succeeded";
  let result: Record<string, unknown> | null = null;
  let failure: AppError | null = null;
  try {
    result = await perform(pool, client, input, op, actor, now, stored);
  } catch (err) {
    failure =
      err instanceof AppError
        ? err
        : err instanceof KubeApiError && err.code === 404
          ? new BadInput(
              `${input.kind} ${input.namespace}/${input.name} not found in ${input.cluster}`,
            )
          : new Upstream(
              `the Kubernetes API refused: ${err instanceof Error ? err.message : String(err)}`,
            );
    status = failure instanceof Upstream ? "failed" : "refused";
  }
  await transaction(pool, async (db) => {
    await finishAction(db, started.row.id, status, result, failure?.message ?? null);
    await writeAudit(db, {
      actor,
      action: audit,
      target,
      outcome: failure ? "failure" : "success",
      details: {
        actionId: started.row.id,
        status,
        ...(result ? { result } : {}),
        ...(failure ? { error: failure.message } : {}),
      },
    });
  });
  if (failure) throw failure;
  return { id: started.row.id, status, result };
}

/** The audit record of a request refused before it became an Action. */
export async function auditRefusal(
  pool: pg.Pool,
  actor: string,
  action: string,
  target: string | null,
  input: Pick<ActionInput, "reason"> | null,
  error: AppError,
): Promise<void> {
  await writeAudit(pool, {
    actor,
    action,
    target,
    outcome: "denied",
    details: { status: "refused", error: error.message, reason: input?.reason ?? null },
  });
}
