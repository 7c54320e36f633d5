// kpack (kpack.io/v1alpha2): a Build feeds the `build` stage; an Image is context (app name,
// image repository, source repo) that the timeline uses to name apps, not a stage of its own.
import {
  applyLabels,
  checkObject,
  identity,
  labelAppHints,
  readCondition,
  readShiplogLabels,
} from "./k8s";
import { isoTime, normalizeDigest, parseImageRef, revisionOf } from "./refs";
import { ok, type NormalizeResult } from "./result";
import type { ImageRef, Observation, Status } from "./types";
import { get, num, str, strArr, uniq } from "./values";

/** The Succeeded condition as the API reads it (docs/api.md): Unknown → running, no condition yet → pending. */
export function buildStatus(cond: ReturnType<typeof readCondition>): Status {
  if (cond.status === "True") return "succeeded";
  if (cond.status === "False") return "failed";
  if (cond.status === "Unknown") return "running";
  return "pending";
}

function imageRefs(values: unknown[]): ImageRef[] {
  return values.map(parseImageRef).filter((r): r is ImageRef => r !== null);
}

export function normalizeBuild(raw: unknown): NormalizeResult {
  const c = checkObject(raw, "kpack", "Build");
  if (!c.ok) return c.result;
  const { obj, meta } = c;
  const cond = readCondition(obj.status, "Succeeded");
  const status = buildStatus(cond);
  const latestImage = str(get(obj, "status", "latestImage"));
  const latestRef = parseImageRef(latestImage);
  const tags = strArr(get(obj, "spec", "tags"));
  const gitUrl = str(get(obj, "spec", "source", "git", "url"));
  const gitRevision = str(get(obj, "spec", "source", "git", "revision"));
  const imageName = meta.labels["image.kpack.io/image"] ?? null;
  const digest = latestRef?.digest ?? normalizeDigest(latestImage);
  const final = status === "succeeded" || status === "failed";
  const o: Observation = {
    ...identity("kpack", "Build", meta),
    repository: null,
    stage: "build",
    status,
    reason: cond.reason,
    message: cond.message,
    // A Build has no start/completion time: creation and the condition's last transition stand in.
    startedAt: isoTime(meta.creationTimestamp),
    finishedAt: final ? isoTime(cond.lastTransitionTime) : null,
    revision: revisionOf(gitRevision, gitUrl),
    digests: digest ? [digest] : [],
    imageRefs: imageRefs([latestImage, ...tags]),
    manifestsRevisions: [],
    labels: readShiplogLabels(meta),
    parent: null,
    appHints: uniq([...(imageName ? [imageName] : []), ...labelAppHints(meta)]),
    environment: null,
    details: {
      type: "build",
      image: tags[0] ?? null,
      digest,
      buildNumber: num(meta.labels["image.kpack.io/buildNumber"]),
      reason: str(meta.annotations["image.kpack.io/reason"]),
      tags,
      source: { url: gitUrl, revision: gitRevision },
      podName: str(get(obj, "status", "podName")),
      stepsCompleted: strArr(get(obj, "status", "stepsCompleted")),
    },
  };
  return ok([applyLabels(o, gitUrl)]);
}

/** Image Ready condition → a status for the context record (not a stage status). */
function imageReadyStatus(cond: ReturnType<typeof readCondition>): Status {
  if (cond.status === "True") return "succeeded";
  if (cond.status === "False") return "failed";
  if (cond.status === "Unknown") return cond.reason === "BuildRunning" ? "running" : "unknown";
  return "pending";
}

export function normalizeImage(raw: unknown): NormalizeResult {
  const c = checkObject(raw, "kpack", "Image");
  if (!c.ok) return c.result;
  const { obj, meta } = c;
  const cond = readCondition(obj.status, "Ready");
  const tag = str(get(obj, "spec", "tag"));
  const latestImage = str(get(obj, "status", "latestImage"));
  const gitUrl = str(get(obj, "spec", "source", "git", "url"));
  const gitRevision = str(get(obj, "spec", "source", "git", "revision"));
  const digest = parseImageRef(latestImage)?.digest ?? null;
  const o: Observation = {
    ...identity("kpack", "Image", meta),
    repository: null,
    stage: null,
    status: imageReadyStatus(cond),
    reason: cond.reason,
    message: cond.message,
    startedAt: null,
    finishedAt: null,
    // spec.source.git.revision may be a branch ("main"); only a SHA becomes a revision key.
    revision: revisionOf(gitRevision, gitUrl),
    digests: digest ? [digest] : [],
    imageRefs: imageRefs([tag, latestImage]),
    manifestsRevisions: [],
    labels: readShiplogLabels(meta),
    parent: null,
    appHints: uniq([meta.name, ...labelAppHints(meta)]),
    environment: null,
    details: {
      type: "kpack-image",
      tag,
      latestImage,
      latestBuildRef: str(get(obj, "status", "latestBuildRef")),
      buildCounter: num(get(obj, "status", "buildCounter")),
      latestBuildReason: str(get(obj, "status", "latestBuildReason")),
      source: { url: gitUrl, revision: gitRevision },
    },
  };
  return ok([applyLabels(o, gitUrl)]);
}
