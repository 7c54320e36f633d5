// The run endpoints' path parameters, checked with the Kubernetes naming rules before any lookup.
import { z } from "zod";
import { BadInput } from "@/lib/errors";
import { describeIssues } from "@/lib/http";
import type { RunRef } from "@/lib/db/runs";
import { RUN_KIND_OF_PATH, type RunKindPath } from "./types";

export type RunParams = {
  params: Promise<{ cluster: string; namespace: string; kind: string; name: string }>;
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const schema = z.object({
  cluster: z.string().min(1).max(253),
  namespace: z.string().max(63).regex(DNS_LABEL, { error: "must be a Kubernetes namespace name" }),
  kind: z.enum(Object.keys(RUN_KIND_OF_PATH) as [RunKindPath, ...RunKindPath[]], {
    error: "must be pipelineruns or builds",
  }),
  name: z.string().max(253).regex(DNS_SUBDOMAIN, { error: "must be a Kubernetes object name" }),
});

/** The run a request names; BadInput naming the first bad parameter. */
export async function runParams(context: RunParams): Promise<RunRef> {
  const parsed = schema.safeParse(await context.params);
  if (!parsed.success) throw new BadInput(describeIssues(parsed.error));
  const { cluster, namespace, kind, name } = parsed.data;
  return { cluster, namespace, kind: RUN_KIND_OF_PATH[kind], name };
}
