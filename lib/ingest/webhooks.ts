// Harbor and Git webhooks: size limit, secret check in constant time, parse, normalize, store.
// A delivery is stored whole (one transaction) or not at all.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { BadInput, Unauthorized } from "../errors";
import { readLimited } from "../request-body";
import { normalizeGitPush, normalizeHarborWebhook } from "../sources";
import type { NormalizeResult } from "../sources/result";
import type { Incoming, IngestResult } from "./store";

export const WEBHOOK_LIMIT_BYTES = 1024 * 1024;

export type WebhookOutcome = { status: 200 | 202; body: { stored: number } | { ignored: string } };
type Store = (batch: Incoming[]) => Promise<IngestResult>;

/** Equal strings, compared in time independent of where they differ (both are hashed first). */
export function secretsEqual(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** GitHub's `X-Hub-Signature-256: sha256=<hex HMAC of the body>`. */
export function githubSignatureValid(header: string | null, secret: string, body: Buffer): boolean {
  if (!header?.startsWith("sha256=")) return false;
  const expected = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  return secretsEqual(header, expected);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new BadInput(
      `body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

async function store(result: NormalizeResult, save: Store): Promise<WebhookOutcome> {
  if (!result.ok) throw result.error;
  if (result.observations.length === 0)
    return { status: 202, body: { ignored: result.ignored ?? "nothing to record" } };
  await save(
    result.observations.map((observation) => ({
      scope: { cluster: "", environment: null },
      observation,
    })),
  );
  return { status: 200, body: { stored: result.observations.length } };
}

/** Harbor sends its policy's auth_header verbatim as `Authorization`. */
export async function receiveHarbor(
  request: Request,
  secret: string | undefined,
  save: Store,
): Promise<WebhookOutcome> {
  if (!secret)
    throw new Unauthorized("Harbor webhooks are disabled: HARBOR_WEBHOOK_SECRET is not set");
  if (!secretsEqual(request.headers.get("authorization"), secret))
    throw new Unauthorized("wrong or missing Authorization");
  const body = await readLimited(request, WEBHOOK_LIMIT_BYTES);
  return store(normalizeHarborWebhook(parseJson(body)), save);
}

/** GitLab sends the secret as `X-Gitlab-Token`; GitHub signs the body (`X-Hub-Signature-256`). */
export async function receiveGit(
  request: Request,
  secret: string | undefined,
  save: Store,
): Promise<WebhookOutcome> {
  if (!secret) throw new Unauthorized("Git webhooks are disabled: GIT_WEBHOOK_SECRET is not set");
  const gitlabToken = request.headers.get("x-gitlab-token");
  const githubSignature = request.headers.get("x-hub-signature-256");
  if (gitlabToken === null && githubSignature === null) {
    throw new Unauthorized("missing X-Gitlab-Token or X-Hub-Signature-256");
  }
  if (gitlabToken !== null && !secretsEqual(gitlabToken, secret))
    throw new Unauthorized("wrong X-Gitlab-Token");
  const body = await readLimited(request, WEBHOOK_LIMIT_BYTES);
  if (gitlabToken === null && !githubSignatureValid(githubSignature, secret, body)) {
    throw new Unauthorized("wrong X-Hub-Signature-256");
  }
  const event = request.headers.get("x-gitlab-event") ?? request.headers.get("x-github-event");
  return store(normalizeGitPush(parseJson(body), { event }), save);
}
