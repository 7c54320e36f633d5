// What the Harbor client checks in Harbor's answers: just the fields callers rely on, so garbage
// fails with its path while unknown fields pass through and nulls (nil slices) are fine.
import { z } from "zod";

const text = z.string().nullish();

export const projectSchema = z.looseObject({
  project_id: z.number().int(),
  name: z.string().min(1),
});

/** `name` is the full name, `project/repository`. */
export const repositorySchema = z.looseObject({
  name: z.string().min(1),
  artifact_count: z.number().nullish(),
  update_time: text,
});

/** definitions.Artifact; lib/sources/harbor.ts reads the rest when it normalizes one. */
export const artifactSchema = z.looseObject({
  digest: z.string().min(1),
  repository_name: text,
  push_time: text,
  tags: z.array(z.looseObject({ name: z.string() })).nullish(),
  scan_overview: z.record(z.string(), z.unknown()).nullish(),
});

/** definitions.GeneralInfo; registry_url and harbor_version are shown to signed-in callers only. */
export const systemInfoSchema = z.looseObject({
  registry_url: text,
  external_url: text,
  harbor_version: text,
});

/** definitions.Errors, as loose as a proxy's error page turned JSON may be. */
export const errorsSchema = z.object({
  errors: z.array(z.object({ code: text, message: text }).nullish()).nullish(),
});

export type HarborProject = z.infer<typeof projectSchema>;
export type HarborRepository = z.infer<typeof repositorySchema>;
export type HarborArtifact = z.infer<typeof artifactSchema>;
