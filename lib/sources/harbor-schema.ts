// zod schemas for what Harbor sends: webhook bodies (Default and CloudEvents formats) and the
// artifacts its API returns. Unknown fields are dropped; what we read must have the right type.
import { z } from "zod";

const DIGEST = /^sha256:[0-9a-f]{64}$/i;
const digest = z.string().regex(DIGEST, "expected a sha256:<64 hex> digest");
const optStr = z.string().nullish();
const optNum = z.number().nullish();

/** NativeReportSummary (swagger definitions), one value of `scan_overview`. */
export const reportSummarySchema = z.object({
  report_id: optStr,
  scan_status: optStr,
  severity: optStr,
  duration: optNum,
  summary: z
    .object({
      total: optNum,
      fixable: optNum,
      summary: z.record(z.string(), z.number()).nullish(),
    })
    .nullish(),
  start_time: optStr,
  end_time: optStr,
  complete_percent: optNum,
  scanner: z.object({ name: optStr, vendor: optStr, version: optStr }).nullish(),
});
export type ReportSummary = z.infer<typeof reportSummarySchema>;

// Keyed by report MIME type; values are parsed on use so an odd SBOM entry cannot fail a body.
const scanOverview = z.record(z.string(), z.unknown()).nullish();

export const eventDataSchema = z.object({
  resources: z
    .array(
      z.object({
        digest,
        tag: optStr,
        resource_url: optStr,
        scan_overview: scanOverview,
      }),
    )
    .min(1, "expected at least one resource"),
  repository: z.object({
    name: z.string().min(1),
    namespace: optStr,
    repo_full_name: optStr,
    repo_type: optStr,
  }),
});
export type EventData = z.infer<typeof eventDataSchema>;

/** Just enough to tell the two formats apart and read the event type. */
export const envelopeSchema = z.union([
  z.object({
    specversion: z.string(),
    id: optStr,
    type: z.string().min(1),
    time: optStr,
    operator: optStr,
    data: z.unknown(),
  }),
  z.object({
    type: z.string().min(1),
    occur_at: z.union([z.number(), z.string()]).nullish(),
    operator: optStr,
    event_data: z.unknown(),
  }),
]);

/** definitions.Artifact, the fields Shiplog reads. */
export const artifactSchema = z.object({
  digest,
  repository_name: optStr,
  type: optStr,
  media_type: optStr,
  push_time: optStr,
  tags: z.array(z.object({ name: z.string(), push_time: optStr })).nullish(),
  accessories: z.array(z.object({ type: optStr, digest: optStr })).nullish(),
  extra_attrs: z
    .object({ config: z.object({ Labels: z.record(z.string(), z.string()).nullish() }).nullish() })
    .nullish(),
  scan_overview: scanOverview,
});
export type Artifact = z.infer<typeof artifactSchema>;
