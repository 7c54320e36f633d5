// What every Kubernetes-object normalizer shares: metadata checks, the Succeeded/Ready condition,
// the shiplog.dev/* labels and the step that lets those labels win over derived keys.
import { fail, type NormalizeResult } from "./result";
import { normalizeDigest, normalizeRepoUrl, normalizeSha } from "./refs";
import { STAGES, type Observation, type ShiplogLabels, type Stage, type System } from "./types";
import { get, isRecord, rec, str, uniq, type Rec } from "./values";

export interface Meta {
  apiVersion: string | null;
  kind: string | null;
  name: string;
  namespace: string | null;
  uid: string | null;
  resourceVersion: string | null;
  creationTimestamp: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences: Rec[];
}

export type Checked = { ok: true; obj: Rec; meta: Meta } | { ok: false; result: NormalizeResult };

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(rec(v))) if (typeof val === "string") out[k] = val;
  return out;
}

/** The structural check: an object with metadata.name. Everything past it is best effort. */
export function checkObject(raw: unknown, system: System, kind: string): Checked {
  if (!isRecord(raw)) {
    return { ok: false, result: fail("not-an-object", system, `${kind}: not an object`) };
  }
  const name = str(get(raw, "metadata", "name"));
  if (!name) {
    return { ok: false, result: fail("missing-name", system, `${kind}: metadata.name is missing`) };
  }
  const m = rec(raw.metadata);
  return {
    ok: true,
    obj: raw,
    meta: {
      apiVersion: str(raw.apiVersion),
      kind: str(raw.kind),
      name,
      namespace: str(m.namespace),
      uid: str(m.uid),
      resourceVersion: str(m.resourceVersion),
      creationTimestamp: str(m.creationTimestamp),
      labels: stringMap(m.labels),
      annotations: stringMap(m.annotations),
      ownerReferences: Array.isArray(m.ownerReferences) ? m.ownerReferences.filter(isRecord) : [],
    },
  };
}

export interface Condition {
  status: "True" | "False" | "Unknown" | null;
  reason: string | null;
  message: string | null;
  lastTransitionTime: string | null;
}

/** `status.conditions[type=<type>]`; a missing condition reads as all-null. */
export function readCondition(status: unknown, type: string): Condition {
  const list = get(status, "conditions");
  const c = Array.isArray(list) ? list.find((x) => isRecord(x) && x.type === type) : undefined;
  const s = get(c, "status");
  return {
    status: s === "True" || s === "False" || s === "Unknown" ? s : null,
    reason: str(get(c, "reason")),
    message: str(get(c, "message")),
    lastTransitionTime: str(get(c, "lastTransitionTime")),
  };
}

/** Labels first, then annotations: a 64-hex digest does not fit in a label value (63 chars). */
export function readShiplogLabels(meta: Meta): ShiplogLabels {
  const read = (k: string) =>
    str(meta.labels[`shiplog.dev/${k}`]) ?? str(meta.annotations[`shiplog.dev/${k}`]);
  const stage = read("stage");
  return {
    commit: read("commit"),
    app: read("app"),
    imageDigest: normalizeDigest(read("image-digest")),
    stage: stage && (STAGES as readonly string[]).includes(stage) ? (stage as Stage) : null,
    environment: read("environment"),
  };
}

/** App names that conventional labels suggest, best first. */
export function labelAppHints(meta: Meta): string[] {
  const l = meta.labels;
  return [l["app.kubernetes.io/part-of"], l["app.kubernetes.io/name"], l["app"]].filter(
    (x): x is string => typeof x === "string" && x.length > 0,
  );
}

/**
 * Apply the shiplog.dev/* labels: they name the commit, digest, app and environment outright.
 * `repoUrl` is the repository the object names even when its own revision was not a SHA.
 */
export function applyLabels(o: Observation, repoUrl: string | null = null): Observation {
  const l = o.labels;
  const sha = normalizeSha(l.commit);
  return {
    ...o,
    revision: sha
      ? {
          sha,
          repoUrl: o.revision?.repoUrl ?? normalizeRepoUrl(repoUrl),
          ref: o.revision?.ref ?? null,
        }
      : o.revision,
    digests: l.imageDigest ? [l.imageDigest] : o.digests,
    environment: l.environment ?? o.environment,
    appHints: uniq([...(l.app ? [l.app] : []), ...o.appHints]),
  };
}

export function k8sKey(system: System, kind: string, meta: Meta): string {
  return `${system}:${kind}:${meta.namespace ?? ""}/${meta.name}`;
}

/** The identity part of an Observation for a Kubernetes object. */
export function identity(system: System, kind: string, meta: Meta) {
  return {
    key: k8sKey(system, kind, meta),
    system,
    kind,
    apiVersion: meta.apiVersion,
    namespace: meta.namespace,
    name: meta.name,
    uid: meta.uid,
    resourceVersion: meta.resourceVersion,
  };
}
