// Test support: turns the swagger 2.0 `definitions` of Harbor's API (fixtures/swagger.yaml)
// into JSON Schema for ajv, so tests can check that what the simulator returns is what a
// Harbor client expects.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsPlugin from "ajv-formats";
import { parse } from "yaml";

type Schema = Record<string, unknown>;

export interface ConvertOptions {
  /** Allow null where Go may leave a field nil and write it as null: array properties
   * (go-swagger gives slices no omitempty: Artifact.tags, .labels) and properties that $ref a
   * struct definition (a nil pointer: NativeReportSummary.summary). Maps stay non-null. */
  goNilable?: boolean;
  /** Reject properties a definition does not declare, to catch misspelt or invented keys. */
  closed?: boolean;
}

/** Validation keywords carried over; swagger-only ones (x-*, example, readOnly...) are dropped. */
const KEEP = new Set([
  "type",
  "enum",
  "format",
  "maximum",
  "minimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "required",
]);

function nullable(schema: Schema): Schema {
  if (typeof schema.type === "string") {
    const enumValues = schema.enum as unknown[] | undefined;
    return {
      ...schema,
      type: [schema.type, "null"],
      ...(enumValues ? { enum: [...enumValues, null] } : {}),
    };
  }
  return { anyOf: [schema, { type: "null" }] };
}

function isStructRef(ref: unknown, definitions: Record<string, unknown>): boolean {
  if (typeof ref !== "string") return false;
  const target = definitions[ref.replace("#/definitions/", "")] as Schema | undefined;
  return Boolean(target?.properties);
}

/** Converts one swagger schema node. `asProperty` marks a node that is an object's property. */
export function convertSchema(
  node: unknown,
  options: ConvertOptions,
  definitions: Record<string, unknown> = {},
  asProperty = false,
): Schema {
  if (typeof node !== "object" || node === null) return {};
  const source = node as Schema;
  let out: Schema;
  if (typeof source.$ref === "string") {
    // swagger ignores $ref siblings (description, ...); only x-nullable matters
    out = { $ref: source.$ref };
  } else {
    out = {};
    for (const [key, value] of Object.entries(source)) if (KEEP.has(key)) out[key] = value;
    if (source.properties && typeof source.properties === "object") {
      const properties: Record<string, Schema> = {};
      for (const [name, property] of Object.entries(source.properties as Record<string, unknown>)) {
        properties[name] = convertSchema(property, options, definitions, true);
      }
      out.properties = properties;
    }
    if (source.items) out.items = convertSchema(source.items, options, definitions);
    if (typeof source.additionalProperties === "object" && source.additionalProperties !== null) {
      out.additionalProperties = convertSchema(source.additionalProperties, options, definitions);
    } else if (typeof source.additionalProperties === "boolean") {
      out.additionalProperties = source.additionalProperties;
    } else if (options.closed && out.properties) {
      out.additionalProperties = false;
    }
    // go-swagger maps a bare `type: object` to interface{}: any JSON value
    if (
      source.type === "object" &&
      !source.properties &&
      source.additionalProperties === undefined
    ) {
      out = {};
    }
  }
  const goNil =
    options.goNilable &&
    asProperty &&
    (source.type === "array" || isStructRef(source.$ref, definitions));
  return source["x-nullable"] === true || goNil ? nullable(out) : out;
}

export function loadSwagger(
  file = path.join(import.meta.dirname, "fixtures/swagger.yaml"),
): Schema {
  return parse(readFileSync(file, "utf8")) as Schema;
}

/** An ajv instance holding every converted definition under `harbor#/definitions/<Name>`. */
export function swaggerValidator(options: ConvertOptions = {}, swagger: Schema = loadSwagger()) {
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
  (addFormatsPlugin as unknown as (a: Ajv) => void)(ajv);
  ajv.addFormat("int32", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
  });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat("int", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  const definitions: Record<string, Schema> = {};
  const source = swagger.definitions as Record<string, unknown>;
  for (const [name, definition] of Object.entries(source)) {
    definitions[name] = convertSchema(definition, options, source);
  }
  ajv.addSchema({ $id: "harbor", definitions });
  return {
    ajv,
    definitions,
    /** The validator for one definition, e.g. "Artifact". */
    validator(name: string): ValidateFunction {
      const validate = ajv.getSchema(`harbor#/definitions/${name}`);
      if (!validate) throw new Error(`no definition ${name} in swagger`);
      return validate;
    },
  };
}
