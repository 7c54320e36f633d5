// Correlation keys from Tekton params and results: digests (also inside a whole JSON webhook body
// passed as one param), image refs, the app commit and the manifests commit, by configured names.
import { nameMatches, type SourceOptions } from "./options";
import {
  findDigests,
  formatImageRef,
  normalizeDigest,
  normalizeSha,
  parseImageRef,
  revisionOf,
} from "./refs";
import type { Meta } from "./k8s";
import type { GitRevision, ImageRef, NamedValue, ParentRef } from "./types";
import { asText, isRecord, str, uniq, uniqBy } from "./values";

export interface Named {
  name: string;
  value: unknown;
}

/** `[{name, value}]` lists: spec.params, status.results (v1beta1: pipelineResults/taskResults). */
export function readNamed(...lists: unknown[]): Named[] {
  const out: Named[] = [];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const x of list) {
      if (isRecord(x) && typeof x.name === "string") out.push({ name: x.name, value: x.value });
    }
  }
  return out;
}

export function asNamedValues(items: Named[]): NamedValue[] {
  return items.map((n) => ({ name: n.name, value: asText(n.value) }));
}

/** Every string inside a value; a string that is JSON text is opened up too. */
function strings(v: unknown, depth = 0): string[] {
  if (depth > 8) return [];
  if (typeof v === "string") {
    const t = v.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
      try {
        return [v, ...strings(JSON.parse(t) as unknown, depth + 1)];
      } catch {
        return [v];
      }
    }
    return [v];
  }
  if (Array.isArray(v)) return v.flatMap((x) => strings(x, depth + 1));
  if (isRecord(v)) return Object.values(v).flatMap((x) => strings(x, depth + 1));
  return [];
}

/**
 * Harbor webhook bodies name each artifact in `resource_url` (by tag or digest) beside its
 * `digest`: pick those out of JSON params as image refs with both.
 */
function webhookImageRefs(v: unknown, depth = 0): ImageRef[] {
  if (depth > 8) return [];
  if (typeof v === "string") {
    const t = v.trim();
    if (!t.startsWith("{") && !t.startsWith("[")) return [];
    try {
      return webhookImageRefs(JSON.parse(t) as unknown, depth + 1);
    } catch {
      return [];
    }
  }
  if (Array.isArray(v)) return v.flatMap((x) => webhookImageRefs(x, depth + 1));
  if (!isRecord(v)) return [];
  const ref = parseImageRef(v.resource_url);
  const own = ref ? [{ ...ref, digest: ref.digest ?? normalizeDigest(v.digest) }] : [];
  return [...own, ...Object.values(v).flatMap((x) => webhookImageRefs(x, depth + 1))];
}

export interface RunKeys {
  revision: GitRevision | null;
  repoUrl: string | null; // the app repository named, even beside a param that is not a SHA
  digests: string[];
  imageRefs: ImageRef[];
  manifestsRevisions: GitRevision[];
}

function firstValue(items: Named[], names: string[]): unknown {
  for (const name of names) {
    const hit = items.find((i) => i.name === name);
    if (hit && typeof hit.value === "string" && hit.value !== "") return hit.value;
  }
  return undefined;
}

/** Tekton Chains pairs `<x>IMAGE_URL` with `<x>IMAGE_DIGEST`: together they name one image. */
function chainsImages(results: Named[]): ImageRef[] {
  const out: ImageRef[] = [];
  for (const r of results) {
    if (!r.name.endsWith("IMAGE_URL")) continue;
    const prefix = r.name.slice(0, -"IMAGE_URL".length);
    const digest = results.find((d) => d.name === `${prefix}IMAGE_DIGEST`);
    const ref = parseImageRef(r.value);
    const dig = digest ? findDigests(asText(digest.value))[0] : undefined;
    if (ref && dig && !ref.digest) out.push({ ...ref, digest: dig });
  }
  return out;
}

export function keysFromRun(params: Named[], results: Named[], opts: SourceOptions): RunKeys {
  const digestSources = [
    ...params.filter((p) => nameMatches(opts.digestParams, p.name)),
    ...results.filter((r) => nameMatches(opts.digestResults, r.name)),
  ];
  const digests = uniq(digestSources.flatMap((s) => strings(s.value).flatMap(findDigests)));

  const named = [
    ...params.filter((p) => opts.imageParams.includes(p.name)).map((p) => p.value),
    ...results.filter((r) => opts.imageResults.includes(r.name)).map((r) => r.value),
  ];
  const refs = [
    ...chainsImages(results),
    ...named.map(parseImageRef),
    ...digestSources.flatMap((s) => webhookImageRefs(s.value)),
  ];
  const parsed = uniqBy(
    refs.filter((r): r is ImageRef => r !== null),
    formatImageRef,
  );
  // A bare "repo" adds nothing once the same repo is named with a tag or digest.
  const imageRefs = parsed.filter(
    (r) =>
      r.tag ||
      r.digest ||
      !parsed.some((o) => o !== r && o.registry === r.registry && o.repository === r.repository),
  );

  // Results first: they are what actually ran (a git-clone result resolves a branch param).
  const sha = firstValue(results, opts.revisionResults) ?? firstValue(params, opts.revisionParams);
  const url = firstValue(results, opts.repoUrlResults) ?? firstValue(params, opts.repoUrlParams);
  const revision = revisionOf(sha, url);

  const manifestsRevisions = uniq(
    results
      .filter((r) => opts.manifestsRevisionResults.includes(r.name))
      .map((r) => normalizeSha(r.value))
      .filter((s): s is string => s !== null),
  ).map((s) => ({ sha: s, repoUrl: null, ref: null }));

  const repoUrl = typeof url === "string" ? url : null;
  return { revision, repoUrl, digests, imageRefs, manifestsRevisions };
}

/** The PipelineRun a child belongs to: Tekton's labels, else the controller ownerReference. */
export function parentOf(meta: Meta): ParentRef | null {
  const name = meta.labels["tekton.dev/pipelineRun"];
  const owner = meta.ownerReferences.find((o) => o.kind === "PipelineRun");
  const parentName = str(name) ?? str(owner?.name);
  if (!parentName) return null;
  return {
    kind: "PipelineRun",
    name: parentName,
    uid: str(meta.labels["tekton.dev/pipelineRunUID"]) ?? str(owner?.uid),
    pipelineTask: str(meta.labels["tekton.dev/pipelineTask"]),
  };
}
