// The building blocks of the OpenAPI document's paths: the operation types and small schema and
// response helpers, shared by the path modules.
import { ref, type JsonSchema } from "./openapi-schemas";

export type Parameter = {
  name: string;
  in: "query" | "path" | "header";
  required?: boolean;
  description: string;
  schema: JsonSchema;
};
export type Response = { description: string; content?: Record<string, { schema: JsonSchema }> };
export type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  "x-shiplog-implemented": boolean;
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, Response>;
  security?: Record<string, string[]>[];
};

export function list(items: JsonSchema): JsonSchema {
  return { type: "array", items };
}
export function object(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: "object", properties, required: Object.keys(properties) };
}
export const string: JsonSchema = { type: "string" };
export const dateTime: JsonSchema = { type: "string", format: "date-time" };

export const json = (schema: JsonSchema, description: string): Response => ({
  description,
  content: { "application/json": { schema } },
});
export const error = (description: string) => json(ref("Error"), description);
export const PLANNED = "Not implemented yet: part of the contract, answers 404 until it ships. ";
export const PUBLIC: Record<string, string[]>[] = [];
