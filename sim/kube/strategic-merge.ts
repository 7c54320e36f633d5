// Strategic merge patch for the built-in kinds (Pod, Namespace, Event): a merge patch whose lists
// of known "merge key" fields merge by that key, plus the $patch / $setElementOrder /
// $deleteFromPrimitiveList / $retainKeys directives. Merge keys come from the core/v1 Go types
// (patchMergeKey tags), looked up by field name rather than by full schema path.

const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  env: "name",
  ports: "containerPort",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  volumes: "name",
  imagePullSecrets: "name",
  hostAliases: "ip",
  conditions: "type",
  containerStatuses: "name",
  initContainerStatuses: "name",
  resourceClaims: "name",
  ownerReferences: "uid",
  podIPs: "ip",
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function mergeList(field: string, target: unknown, patch: unknown[]): unknown[] {
  const key = MERGE_KEYS[field];
  const current = Array.isArray(target) ? target : [];
  if (!key || !patch.every(isObject)) {
    return patch
      .filter((p) => !(isObject(p) && p.$patch === "delete"))
      .map((p) => structuredClone(p));
  }
  if (patch.some((p) => isObject(p) && p.$patch === "replace")) {
    return patch.filter((p) => !(isObject(p) && p.$patch)).map((p) => structuredClone(p));
  }
  const out = current.map((c) => structuredClone(c));
  for (const p of patch as Record<string, unknown>[]) {
    const i = out.findIndex((c) => isObject(c) && c[key] === p[key]);
    if (p.$patch === "delete") {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) {
      out[i] = applyStrategicMergePatch(out[i], p);
    } else {
      out.push(applyStrategicMergePatch({}, p));
    }
  }
  return out;
}

export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === "delete") return undefined;
  let result: Record<string, unknown> =
    isObject(target) && patch.$patch !== "replace" ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$patch" || k.startsWith("$setElementOrder/")) continue;
    if (k === "$retainKeys") {
      const keep = new Set(Array.isArray(v) ? v.map(String) : []);
      result = Object.fromEntries(Object.entries(result).filter(([rk]) => keep.has(rk)));
      continue;
    }
    if (k.startsWith("$deleteFromPrimitiveList/")) {
      const field = k.slice("$deleteFromPrimitiveList/".length);
      const drop = Array.isArray(v) ? v : [];
      if (Array.isArray(result[field]))
        result[field] = (result[field] as unknown[]).filter((x) => !drop.includes(x));
      continue;
    }
    if (v === null) delete result[k];
    else if (Array.isArray(v)) result[k] = mergeList(k, result[k], v);
    else {
      const merged = applyStrategicMergePatch(result[k], v);
      if (merged === undefined) delete result[k];
      else result[k] = merged;
    }
  }
  return result;
}
