// Test-only: checks a value against one of the OpenAPI document's component schemas, with the
// document's own $refs resolved; returns the validator's complaints ([] when it conforms).
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { openApiDocument } from "@/lib/openapi";

let ajv: Ajv2020 | undefined;

function schema(name: string): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(openApiDocument, "openapi.json");
  }
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name} in the OpenAPI document`);
  return validate;
}

export function schemaErrors(name: string, data: unknown): string[] {
  const validate = schema(name);
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
