// The result every normalizer returns: observations, or a typed error the ingest layer logs and
// skips. Normalizers never throw on input, so one bad object cannot stop a watch.
import type { z } from "zod";
import { BadInput } from "@/lib/errors";
import type { Observation, System } from "./types";

export type SourceErrorCode =
  | "not-an-object" // null, an array, a string…
  | "missing-name" // a Kubernetes object without metadata.name
  | "unsupported-kind" // no normalizer for this apiVersion/kind
  | "invalid-payload"; // a webhook body or API object that fails its schema

/** A BadInput, so a webhook route that rethrows it answers 400 with the issues in the message. */
export class SourceError extends BadInput {
  readonly code: SourceErrorCode;
  readonly system: System | null;
  /** One line per problem, e.g. `event_data.resources.0.digest: expected string, received undefined`. */
  readonly issues: string[];

  constructor(
    code: SourceErrorCode,
    system: System | null,
    message: string,
    issues: string[] = [],
  ) {
    super(issues.length > 0 ? `${message}: ${issues.join("; ")}` : message);
    this.code = code;
    this.system = system;
    this.issues = issues;
  }
}

export type NormalizeResult =
  | {
      ok: true;
      observations: Observation[];
      /** Set when the input is valid but carries nothing for the timeline (e.g. PULL_ARTIFACT). */
      ignored: string | null;
    }
  | { ok: false; error: SourceError };

export function ok(observations: Observation[]): NormalizeResult {
  return { ok: true, observations, ignored: null };
}

export function ignored(why: string): NormalizeResult {
  return { ok: true, observations: [], ignored: why };
}

export function fail(
  code: SourceErrorCode,
  system: System | null,
  message: string,
  issues: string[] = [],
): NormalizeResult {
  return { ok: false, error: new SourceError(code, system, message, issues) };
}

/** zod issues as `path: message` lines for SourceError.issues. */
export function issuesOf(error: z.ZodError): string[] {
  return error.issues.map(
    (i) => `${i.path.length > 0 ? i.path.join(".") : "(root)"}: ${i.message}`,
  );
}
