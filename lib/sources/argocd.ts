// Argo CD (argoproj.io/v1alpha1 Application) feeds `deploy`: which manifests revision(s) the status
// is about, whether that deploy runs, succeeded or failed, and the images the live resources run.
import { applyLabels, checkObject, identity, labelAppHints, readShiplogLabels } from "./k8s";
import { isoTime, normalizeSha, parseImageRef, normalizeRepoUrl } from "./refs";
import { ok, type NormalizeResult } from "./result";
import type { DeployHistoryEntry, GitRevision, ImageRef, Observation, Status } from "./types";
import { arr, get, isRecord, num, rec, str, strArr, uniq, uniqBy, type Rec } from "./values";

/** `revisions[]` for multi-source apps, else the single `revision`. */
function revs(o: unknown): string[] {
  const many = strArr(get(o, "revisions"));
  if (many.length > 0) return many;
  const one = str(get(o, "revision"));
  return one ? [one] : [];
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

interface DeployState {
  status: Status;
  reason: string | null;
  subject: string[]; // the revisions the status is about
  final: boolean;
}

/**
 * The API's deploy rule (docs/api.md), in order: a requested or running sync → running; OutOfSync with a target
 * not yet synced and no operation → pending; sync Failed/Error → failed; health Degraded → failed;
 * Progressing → running; Healthy after a successful sync (or while Synced) → succeeded.
 * Suspended → waiting, Missing (or no status yet) → pending, anything else → unknown.
 */
export function deployState(app: Rec): DeployState {
  const status = rec(app.status);
  const op = rec(status.operationState);
  const phase = str(op.phase);
  const syncStatus = str(get(status, "sync", "status"));
  const health = str(get(status, "health", "status"));
  const target = revs(status.sync);
  const synced = revs(op.syncResult);
  const opRevs = revs(get(op, "operation", "sync"));
  const lastOp = synced.length > 0 ? synced : opRevs;
  const settled = lastOp.length > 0 ? lastOp : target;

  // Not reconciled yet: nothing compared, nothing deployed.
  if (Object.keys(status).length === 0 && !isRecord(app.operation)) {
    return { status: "pending", reason: null, subject: [], final: false };
  }
  if (isRecord(app.operation)) {
    const requested = revs(get(app, "operation", "sync"));
    return {
      status: "running",
      reason: "SyncRequested",
      subject: requested.length ? requested : target,
      final: false,
    };
  }
  if (phase === "Running" || phase === "Terminating") {
    return {
      status: "running",
      reason: phase,
      subject: opRevs.length ? opRevs : settled,
      final: false,
    };
  }
  if (syncStatus === "OutOfSync" && target.length > 0 && !same(target, lastOp)) {
    return { status: "pending", reason: "OutOfSync", subject: target, final: false };
  }
  if (phase === "Failed" || phase === "Error") {
    return { status: "failed", reason: phase, subject: settled, final: true };
  }
  if (health === "Degraded")
    return { status: "failed", reason: health, subject: settled, final: true };
  if (health === "Progressing")
    return { status: "running", reason: health, subject: settled, final: false };
  if (health === "Healthy" && (phase === "Succeeded" || syncStatus === "Synced")) {
    return { status: "succeeded", reason: phase ?? syncStatus, subject: settled, final: true };
  }
  if (health === "Suspended")
    return { status: "waiting", reason: health, subject: settled, final: false };
  if (health === "Missing")
    return { status: "pending", reason: health, subject: settled, final: false };
  return { status: "unknown", reason: health ?? syncStatus, subject: settled, final: false };
}

function sourcesOf(spec: Rec) {
  const list = arr(spec.sources).filter(isRecord);
  const all = list.length > 0 ? list : isRecord(spec.source) ? [spec.source] : [];
  return all.map((s) => ({
    repoUrl: str(s.repoURL),
    path: str(s.path),
    targetRevision: str(s.targetRevision),
    chart: str(s.chart),
  }));
}

function initiatedBy(o: unknown): string | null {
  if (get(o, "automated") === true) return "automated";
  return str(get(o, "username"));
}

function history(status: Rec): DeployHistoryEntry[] {
  return arr(status.history).map((h) => ({
    id: num(get(h, "id")),
    revisions: revs(h),
    deployStartedAt: isoTime(get(h, "deployStartedAt")),
    deployedAt: isoTime(get(h, "deployedAt")),
    initiatedBy: initiatedBy(get(h, "initiatedBy")),
  }));
}

function later(a: string | null, b: string | null): string | null {
  if (!a || !b) return a ?? b;
  return a > b ? a : b;
}

export function normalizeApplication(raw: unknown): NormalizeResult {
  const c = checkObject(raw, "argocd", "Application");
  if (!c.ok) return c.result;
  const { obj, meta } = c;
  const status = rec(obj.status);
  const op = rec(status.operationState);
  const state = deployState(obj);
  const sources = sourcesOf(rec(obj.spec));
  // Revisions line up with spec.sources[] one to one; only SHAs are correlation keys (a Helm
  // chart source's "revision" is a chart version).
  const asGit = (list: string[]): GitRevision[] =>
    list.flatMap((r, i) => {
      const sha = normalizeSha(r);
      const src = sources[i];
      return sha
        ? [{ sha, repoUrl: normalizeRepoUrl(src?.repoUrl), ref: src?.targetRevision ?? null }]
        : [];
    });
  // Synced means the live state matches the target too: a manifests commit that changed nothing
  // Argo CD renders is deployed without a sync of its own.
  const syncedTarget = str(get(status, "sync", "status")) === "Synced" ? revs(status.sync) : [];
  const manifestsRevisions = uniqBy(
    [...asGit(state.subject), ...asGit(syncedTarget)],
    (r) => r.sha,
  );
  const images = strArr(get(status, "summary", "images"));
  const imageRefs = images.map(parseImageRef).filter((r): r is ImageRef => r !== null);
  const healthAt = isoTime(get(status, "health", "lastTransitionTime"));
  const opStarted = state.status === "pending" ? null : isoTime(op.startedAt);
  const opFinished = isoTime(op.finishedAt);
  const appSet = meta.ownerReferences.find((r) => r.kind === "ApplicationSet");
  const dest = rec(get(obj, "spec", "destination"));
  const o: Observation = {
    ...identity("argocd", "Application", meta),
    repository: null,
    stage: "deploy",
    status: state.status,
    reason: state.reason,
    message: str(op.message) ?? str(get(status, "health", "message")),
    startedAt: opStarted,
    // Healthy (or Degraded) may come after the sync finished: the deploy ends when health settles.
    finishedAt: state.final
      ? state.reason === "Failed" || state.reason === "Error"
        ? (opFinished ?? healthAt)
        : later(opFinished, healthAt)
      : null,
    revision: null,
    digests: uniq(imageRefs.map((r) => r.digest).filter((d): d is string => d !== null)),
    imageRefs,
    manifestsRevisions,
    labels: readShiplogLabels(meta),
    parent: null,
    appHints: uniq([
      meta.name,
      ...(str(appSet?.name) ? [String(appSet?.name)] : []),
      ...labelAppHints(meta),
    ]),
    environment: null,
    details: {
      type: "deploy",
      application: meta.name,
      project: str(get(obj, "spec", "project")),
      revision: state.subject[0] ?? null,
      revisions: state.subject,
      targetRevisions: revs(status.sync),
      syncedRevisions: revs(op.syncResult),
      syncStatus: str(get(status, "sync", "status")),
      health: str(get(status, "health", "status")),
      healthMessage: str(get(status, "health", "message")),
      images,
      operationPhase: str(op.phase),
      operationMessage: str(op.message),
      initiatedBy: initiatedBy(get(op, "operation", "initiatedBy")),
      destination: {
        server: str(dest.server),
        name: str(dest.name),
        namespace: str(dest.namespace),
      },
      sources,
      history: history(status),
    },
  };
  return ok([applyLabels(o)]);
}
