// JSON merge patch (RFC 7386) and JSON patch (RFC 6902), as the apiserver applies them to stored objects.

export class PatchError extends Error {
  /** true when the patch document itself is malformed (400), false when it cannot apply (422). */
  readonly malformed: boolean;
  constructor(message: string, malformed: boolean) {
    super(message);
    this.name = "PatchError";
    this.malformed = malformed;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. Returns a new value. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

export interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/"))
    throw new PatchError(`invalid JSON pointer ${JSON.stringify(pointer)}`, true);
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function arrayIndex(arr: unknown[], token: string, forAdd: boolean, path: string): number {
  if (forAdd && token === "-") return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token))
    throw new PatchError(`invalid array index ${JSON.stringify(token)} in ${path}`, false);
  const i = Number(token);
  if (i > arr.length || (!forAdd && i === arr.length)) {
    throw new PatchError(`array index ${i} out of bounds in ${path}`, false);
  }
  return i;
}

/** Resolves the parent container of a pointer; throws when any ancestor is missing. */
function parentOf(doc: unknown, tokens: string[], path: string): unknown {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false, path)];
    else if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, t)) cur = cur[t];
    else throw new PatchError(`doc is missing path: "${path}": missing value`, false);
  }
  return cur;
}

function getAt(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return doc;
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) return parent[arrayIndex(parent, last, false, path)];
  if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) return parent[last];
  throw new PatchError(`doc is missing path: "${path}": missing value`, false);
}

function removeAt(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) throw new PatchError("cannot remove the whole document", false);
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, last, false, path), 1)[0];
  if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) {
    const old = parent[last];
    delete parent[last];
    return old;
  }
  throw new PatchError(`Unable to remove nonexistent key: ${last}: missing value`, false);
}

/** Adds (or, with replace, overwrites) a value; returns the new document (the root may be replaced). */
function addAt(doc: unknown, path: string, value: unknown, replace: boolean): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, last, !replace, path);
    if (replace) parent[i] = value;
    else parent.splice(i, 0, value);
  } else if (isObject(parent)) {
    if (replace && !Object.prototype.hasOwnProperty.call(parent, last)) {
      throw new PatchError(
        `replace operation does not apply: doc is missing key: ${path}: missing value`,
        false,
      );
    }
    parent[last] = value;
  } else {
    throw new PatchError(`doc is missing path: "${path}": missing value`, false);
  }
  return doc;
}

/** Validates that a decoded body is a JSON patch document (an array of operations). */
export function asJsonPatch(body: unknown): JsonPatchOp[] {
  if (!Array.isArray(body))
    throw new PatchError(
      "json: cannot unmarshal object into Go value of type jsonpatch.Patch",
      true,
    );
  return body.map((op) => {
    if (!isObject(op) || typeof op.op !== "string" || typeof op.path !== "string") {
      throw new PatchError("invalid JSON patch operation: each needs string 'op' and 'path'", true);
    }
    return op as unknown as JsonPatchOp;
  });
}

/** RFC 6902 over a deep copy of `target`; the original is never modified. */
export function applyJsonPatch(target: unknown, ops: JsonPatchOp[]): unknown {
  let doc = structuredClone(target) as Json;
  for (const op of ops) {
    switch (op.op) {
      case "add":
        if (!("value" in op)) throw new PatchError(`missing value for add at ${op.path}`, true);
        doc = addAt(doc, op.path, structuredClone(op.value), false) as Json;
        break;
      case "remove":
        removeAt(doc, op.path);
        break;
      case "replace":
        if (!("value" in op)) throw new PatchError(`missing value for replace at ${op.path}`, true);
        doc = addAt(doc, op.path, structuredClone(op.value), true) as Json;
        break;
      case "move": {
        if (typeof op.from !== "string") throw new PatchError("move needs 'from'", true);
        const v = removeAt(doc, op.from);
        doc = addAt(doc, op.path, v, false) as Json;
        break;
      }
      case "copy": {
        if (typeof op.from !== "string") throw new PatchError("copy needs 'from'", true);
        doc = addAt(doc, op.path, structuredClone(getAt(doc, op.from)), false) as Json;
        break;
      }
      case "test":
        if (!deepEqual(getAt(doc, op.path), op.value)) {
          throw new PatchError(`testing value ${op.path} failed: test failed`, false);
        }
        break;
      default:
        throw new PatchError(`Unexpected kind: ${op.op}`, true);
    }
  }
  return doc;
}
