// Structural-schema handling for custom resources: prune unknown fields, apply defaults, validate (ajv).
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { StatusCause } from "./status-errors";

type Schema = Record<string, unknown>;

const PRESERVE = "x-kubernetes-preserve-unknown-fields";
const EMBEDDED = "x-kubernetes-embedded-resource";
const INT_OR_STRING = "x-kubernetes-int-or-string";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Drops fields the schema does not know (unless x-kubernetes-preserve-unknown-fields), drops nulls
 * of non-nullable fields and fills `default`s — in place, in that order, like the apiserver does
 * before validation. `root` keeps apiVersion/kind/metadata, which every object may carry. The paths
 * of pruned fields are pushed to `removed` (for fieldValidation=Strict/Warn).
 */
export function pruneAndDefault(
  value: unknown,
  schema: Schema | undefined,
  root = true,
  removed?: string[],
  path = "",
): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) {
    const items = isObject(schema.items) ? schema.items : undefined;
    return items
      ? value.map((v, i) =>
          v === null ? v : pruneAndDefault(v, items, false, removed, `${path}[${i}]`),
        )
      : value;
  }
  if (!isObject(value)) return value;
  const props = isObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
  const additional = schema.additionalProperties;
  const preserve = schema[PRESERVE] === true;
  const keepMeta = root || schema[EMBEDDED] === true;
  for (const key of Object.keys(value)) {
    if (keepMeta && (key === "apiVersion" || key === "kind" || key === "metadata")) continue;
    let child: Schema | undefined;
    if (props[key]) child = props[key];
    else if (isObject(additional)) child = additional;
    else if (!(additional === true || preserve)) {
      delete value[key];
      removed?.push(path ? `${path}.${key}` : key);
      continue;
    }
    if (!child) continue;
    if (value[key] === null) {
      if (child.nullable !== true) delete value[key];
      continue;
    }
    value[key] = pruneAndDefault(value[key], child, false, removed, path ? `${path}.${key}` : key);
  }
  for (const [key, child] of Object.entries(props)) {
    if (!(key in value) && isObject(child) && "default" in child)
      value[key] = structuredClone(child.default);
  }
  return value;
}

const INT32 = 2 ** 31;

function makeAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv, ["date-time", "date", "email", "uri", "ipv4", "ipv6", "uuid", "byte"]);
  ajv.addFormat("int32", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32,
  });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  for (const f of [
    "float",
    "double",
    "quantity",
    "duration",
    "password",
    "hostname",
    "cidr",
    "mac",
  ]) {
    ajv.addFormat(f, true);
  }
  return ajv;
}

let ajv: Ajv | undefined;
const compiled = new WeakMap<Schema, ValidateFunction>();

/** Rewrites the Kubernetes extensions ajv does not know into plain JSON Schema. */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!isObject(schema)) return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "description" || k === "default" || k === "example") continue;
    if (k === "properties" || k === "patternProperties" || k === "definitions") {
      out[k] = Object.fromEntries(
        Object.entries(v as Schema).map(([p, s]) => [p, toJsonSchema(s)]),
      );
    } else {
      out[k] = typeof v === "object" ? toJsonSchema(v) : v;
    }
  }
  // ajv rejects "nullable" without "type"; in Kubernetes it then just allows null.
  if (out.nullable === true && !out.type) delete out.nullable;
  if (out[INT_OR_STRING] === true && !out.anyOf && !out.type) {
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  return out;
}

function validatorFor(schema: Schema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    ajv ??= makeAjv();
    const root = toJsonSchema(schema) as Schema;
    // metadata is validated by the apiserver's ObjectMeta rules, not by the CRD schema.
    if (isObject(root.properties))
      root.properties = { ...root.properties, metadata: { type: "object" } };
    fn = ajv.compile(root);
    compiled.set(schema, fn);
  }
  return fn;
}

function fieldPath(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "");
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function valueAt(obj: unknown, instancePath: string): unknown {
  let cur = obj;
  for (const seg of instancePath.split("/").slice(1)) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return cur;
}

function toCause(e: ErrorObject, obj: unknown): StatusCause {
  const field = fieldPath(e.instancePath);
  const value = valueAt(obj, e.instancePath);
  const where = field || "<root>";
  switch (e.keyword) {
    case "required": {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      return {
        reason: "FieldValueRequired",
        field: field ? `${field}.${missing}` : missing,
        message: "Required value",
      };
    }
    case "type":
      return {
        reason: "FieldValueTypeInvalid",
        field: where,
        message: `Invalid value: "${jsonType(value)}": ${where} in body must be of type ${String((e.params as { type: string }).type)}: "${jsonType(value)}"`,
      };
    case "enum": {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) =>
        JSON.stringify(v),
      );
      return {
        reason: "FieldValueNotSupported",
        field: where,
        message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.join(", ")}`,
      };
    }
    case "pattern":
      return {
        reason: "FieldValueInvalid",
        field: where,
        message: `Invalid value: ${JSON.stringify(value)}: ${where} in body should match '${String((e.params as { pattern: string }).pattern)}'`,
      };
    default:
      return {
        reason: "FieldValueInvalid",
        field: where,
        message: `Invalid value: ${JSON.stringify(value)}: ${where} in body ${e.message ?? "is invalid"}`,
      };
  }
}

/** Validates an already pruned and defaulted object; returns the causes of a 422 (empty when valid). */
export function validateAgainstSchema(schema: Schema, obj: unknown): StatusCause[] {
  const fn = validatorFor(schema);
  if (fn(obj)) return [];
  const seen = new Set<string>();
  const causes: StatusCause[] = [];
  for (const e of fn.errors ?? []) {
    // anyOf/oneOf branches report one error per branch; keep the summary and one per field.
    if (e.keyword === "anyOf" || e.keyword === "oneOf") continue;
    const c = toCause(e, obj);
    const k = `${c.field}|${c.reason}`;
    if (!seen.has(k)) {
      seen.add(k);
      causes.push(c);
    }
  }
  return causes.length ? causes : [{ reason: "FieldValueInvalid", message: "Invalid value" }];
}
