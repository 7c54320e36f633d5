// Is the database reachable and migrated? Used by /api/readyz.
import "server-only";
import type { PrismaClient } from "./generated/client";
import { db } from "./client";

export type Check = { ok: boolean; detail?: string };

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = (error as { code?: unknown }).code;
  return (
    error.message.split("\n")[0] ||
    (cause instanceof Error && cause.message) ||
    (typeof code === "string" && code) ||
    error.name
  );
}

export async function checkDatabase(client: PrismaClient = db(), timeoutMs = 2000): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Check>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  const probe = client.$queryRaw<
    { migrations: bigint }[]
  >`select count(*) as migrations from _prisma_migrations`
    .then((rows): Check =>
      Number(rows[0]?.migrations ?? 0) > 0 ? { ok: true } : { ok: false, detail: "not migrated" },
    )
    .catch((error: unknown): Check => ({ ok: false, detail: `unreachable: ${describe(error)}` }));
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
