// "Linked by …": the human line that explains which correlation rule tied a stage to its commit,
// from a link's rule and evidence ("digest sha256:ab12cd3", "manifests revision 9f8e7d6").

const HEX_SHA = /^[0-9a-f]{7,64}$/i;
const DIGEST = /^sha256:([0-9a-f]{64})$/i;

/** A digest as `sha256:` + 7 hex, a git SHA as 7 hex; anything else unchanged. */
export function shortRef(value: string): string {
  const digest = DIGEST.exec(value);
  if (digest) return `sha256:${digest[1].slice(0, 7).toLowerCase()}`;
  if (HEX_SHA.test(value)) return value.slice(0, 7).toLowerCase();
  return value;
}

/** `tekton:PipelineRun:ci/release-x` or `ci/release-x` → `ci/release-x`. */
function runName(evidence: string): string {
  const m = /^tekton:PipelineRun:(.+)$/.exec(evidence);
  return m ? m[1] : evidence;
}

/** Every full digest inside a text shortened: "shop/api:1.2 → sha256:ab12cd3". */
function shortenDigests(text: string): string {
  return text.replace(/sha256:([0-9a-f]{64})/gi, (_m, hex: string) => `sha256:${hex.slice(0, 7)}`);
}

// Evidence as the store writes it: label → the commit SHA; parent → "ns/name" or the parent's key;
// task-result → "TaskRun ns/name"; tag → "project/repo:tag → sha256:…".
const PHRASES: Record<string, (evidence: string) => string> = {
  label: (e) => (HEX_SHA.test(e) ? "label shiplog.dev/commit" : `label ${e}`),
  revision: (e) => `revision ${shortRef(e)}`,
  digest: (e) => `digest ${shortRef(e)}`,
  tag: (e) => `tag ${shortenDigests(e)}`,
  parent: (e) => `PipelineRun ${runName(e)}`,
  "task-result": (e) => `result of ${shortenDigests(e)}`,
  param: (e) => `param ${shortRef(e)}`,
  "manifests-revision": (e) => `manifests revision ${shortRef(e)}`,
  images: (e) => `image ${shortRef(e)}`,
  "oci-revision": (e) => `OCI revision ${shortRef(e)}`,
};

const BARE: Record<string, string> = {
  label: "label shiplog.dev/commit",
  revision: "revision",
  digest: "digest",
  tag: "tag",
  parent: "PipelineRun",
  "task-result": "task result",
  param: "param",
  "manifests-revision": "manifests revision",
  images: "images",
  "oci-revision": "OCI revision",
};

/** The line for one link; an unknown rule is shown as written rather than hidden. */
export function describeLink(rule: string, evidence: string | null): string {
  const e = evidence?.trim();
  if (!e) return BARE[rule] ?? rule;
  const phrase = PHRASES[rule];
  return phrase ? phrase(e) : `${rule} ${shortRef(e)}`;
}
