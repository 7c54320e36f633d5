// Safe readers for untyped input: Kubernetes objects arrive as `unknown` and any field may be
// missing or of the wrong type, so every read goes through these instead of a cast.

export type Rec = Record<string, unknown>;

export function isRecord(v: unknown): v is Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function rec(v: unknown): Rec {
  return isRecord(v) ? v : {};
}

/** A non-empty string, or null. */
export function str(v: unknown): string | null {
  return typeof v === "string" && v.length > 0 ? v : null;
}

/** A finite number; numeric strings count (Tekton params and kpack labels are strings). */
export function num(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function strArr(v: unknown): string[] {
  return arr(v).filter((x): x is string => typeof x === "string" && x.length > 0);
}

/** Reads a nested field: `get(obj, "status", "sync", "revision")`. */
export function get(v: unknown, ...keys: (string | number)[]): unknown {
  let cur: unknown = v;
  for (const k of keys) {
    if (typeof k === "number") cur = Array.isArray(cur) ? cur[k] : undefined;
    else cur = isRecord(cur) ? cur[k] : undefined;
  }
  return cur;
}

export function uniq<T>(items: T[]): T[] {
  return [...new Set(items)];
}

export function uniqBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A value as text: strings as they are, arrays and objects JSON-encoded (Tekton params/results). */
export function asText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === undefined || v === null) return "";
  return JSON.stringify(v);
}
