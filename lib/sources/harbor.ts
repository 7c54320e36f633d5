// Harbor feeds `image` (an artifact is in the registry) and `scan` (the scan's own run; findings
// only in details), from webhooks in either payload format and from artifacts its API returns.
import {
  imageObservation,
  scanObservation,
  vulnerabilityReport,
  type Target,
} from "./harbor-model";
import { artifactSchema, envelopeSchema, eventDataSchema } from "./harbor-schema";
import { isoTime, normalizeDigest, parseImageRef, revisionOf } from "./refs";
import { fail, ignored, issuesOf, ok, type NormalizeResult } from "./result";
import type { GitRevision, Status } from "./types";
import { get } from "./values";

// CloudEvents types (harbor.<thing>.<verb>) map onto the Default format's event types.
const CLOUD_EVENT_TYPES: Record<string, string> = {
  "harbor.artifact.pushed": "PUSH_ARTIFACT",
  "harbor.artifact.pulled": "PULL_ARTIFACT",
  "harbor.artifact.deleted": "DELETE_ARTIFACT",
  "harbor.scan.completed": "SCANNING_COMPLETED",
  "harbor.scan.failed": "SCANNING_FAILED",
  "harbor.scan.stopped": "SCANNING_STOPPED",
};
const HANDLED = new Set([
  "PUSH_ARTIFACT",
  "DELETE_ARTIFACT",
  "SCANNING_COMPLETED",
  "SCANNING_FAILED",
  "SCANNING_STOPPED",
]);

const SCAN_EVENT_STATUS: Record<string, Status> = {
  SCANNING_COMPLETED: "succeeded",
  SCANNING_FAILED: "failed",
  SCANNING_STOPPED: "cancelled",
};

function target(
  repository: string,
  project: string | null,
  digestValue: string,
  tag: string | null,
  url: string | null,
): Target {
  const digest = normalizeDigest(digestValue)!;
  // A push by digest reports the digest as the tag: that is no tag.
  const tags = tag && !normalizeDigest(tag) ? [tag] : [];
  const registry = parseImageRef(url)?.registry ?? null;
  return {
    repository,
    project,
    digest,
    tags,
    ref: { registry, repository, tag: tags[0] ?? null, digest },
  };
}

/** A Harbor webhook body, Default (`type`, `event_data`) or CloudEvents (`specversion`, `data`). */
export function normalizeHarborWebhook(body: unknown): NormalizeResult {
  const env = envelopeSchema.safeParse(body);
  if (!env.success)
    return fail("invalid-payload", "harbor", "not a Harbor webhook body", issuesOf(env.error));
  const e = env.data;
  const cloud = "specversion" in e;
  const type = cloud ? (CLOUD_EVENT_TYPES[e.type] ?? e.type) : e.type;
  if (!HANDLED.has(type)) return ignored(`Harbor event ${e.type} feeds no stage`);
  const data = eventDataSchema.safeParse(cloud ? e.data : e.event_data);
  if (!data.success) {
    const issues = issuesOf(data.error).map((i) => `${cloud ? "data" : "event_data"}.${i}`);
    return fail("invalid-payload", "harbor", `Harbor ${type} body is malformed`, issues);
  }
  const at = cloud ? isoTime(e.time) : isoTime(e.occur_at);
  const repo = data.data.repository;
  const repository =
    repo.repo_full_name ?? (repo.namespace ? `${repo.namespace}/${repo.name}` : repo.name);
  const observations = data.data.resources.map((r) => {
    const t = target(
      repository,
      repo.namespace ?? null,
      r.digest,
      r.tag ?? null,
      r.resource_url ?? null,
    );
    if (type.startsWith("SCANNING_")) {
      // Older Harbor (2.0) sends no scan_overview: the event type alone says how the scan ended.
      const fallback = SCAN_EVENT_STATUS[type] ?? "unknown";
      return scanObservation(t, vulnerabilityReport(r.scan_overview), fallback, at);
    }
    const deleted = type === "DELETE_ARTIFACT";
    return imageObservation(t, {
      pushedAt: deleted ? null : at,
      signed: null,
      deleted,
      operator: e.operator ?? null,
      revision: null,
    });
  });
  return ok(observations);
}

/** The commit an image was built from, from its OCI labels (kpack writes the buildpacks one). */
function ociRevision(labels: Record<string, string>): GitRevision | null {
  const oci = revisionOf(
    labels["org.opencontainers.image.revision"],
    labels["org.opencontainers.image.source"],
  );
  if (oci) return oci;
  try {
    const meta: unknown = JSON.parse(labels["io.buildpacks.project.metadata"] ?? "null");
    return revisionOf(
      get(meta, "source", "version", "commit"),
      get(meta, "source", "metadata", "repository"),
    );
  } catch {
    return null;
  }
}

/**
 * An artifact from `GET …/artifacts/{reference}?with_tag=true&with_scan_overview=true`: an `image`
 * observation, plus a `scan` one when it has a vulnerability report. `registry` (Harbor's host)
 * completes the image refs; `repository` overrides `repository_name`.
 */
export function normalizeHarborArtifact(
  raw: unknown,
  opts: { registry?: string; repository?: string } = {},
): NormalizeResult {
  const parsed = artifactSchema.safeParse(raw);
  if (!parsed.success)
    return fail("invalid-payload", "harbor", "not a Harbor artifact", issuesOf(parsed.error));
  const a = parsed.data;
  const repository = opts.repository ?? a.repository_name;
  if (!repository)
    return fail("invalid-payload", "harbor", "not a Harbor artifact", [
      "repository_name: required",
    ]);
  const tags = (a.tags ?? []).map((t) => t.name);
  const digest = normalizeDigest(a.digest)!;
  const project = repository.includes("/") ? repository.split("/")[0] : null;
  const t: Target = {
    repository,
    project,
    digest,
    tags,
    ref: { registry: opts.registry ?? null, repository, tag: tags[0] ?? null, digest },
  };
  const signed = a.accessories
    ? a.accessories.some((x) => (x.type ?? "").startsWith("signature"))
    : null;
  const image = imageObservation(t, {
    pushedAt: isoTime(a.push_time),
    signed,
    deleted: false,
    operator: null,
    revision: ociRevision(a.extra_attrs?.config?.Labels ?? {}),
  });
  const report = vulnerabilityReport(a.scan_overview);
  return ok(report ? [image, scanObservation(t, report, "unknown", null)] : [image]);
}
