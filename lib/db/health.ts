// Is the database reachable and migrated? Used by /api/readyz.
import "server-only";
import type { PrismaClient } from "./generated/client";
import { db } from "./client";

export type Check = { ok: boolean; detail?: string };

/** The driver's own words: Prisma wraps them (its message starts with an empty line). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const meta = (
    error as {
      meta?: { driverAdapterError?: { cause?: { originalMessage?: string; kind?: string } } };
    }
  ).meta;
  const driver = meta?.driverAdapterError?.cause;
  const code = (error as { code?: unknown }).code;
  const firstLine = error.message.split("\n").find((line) => line.trim() !== "");
  return (
    driver?.originalMessage ??
    driver?.kind ??
    firstLine ??
    (typeof code === "string" ? code : error.name)
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
    .catch((error: unknown): Check => {
      const detail = describe(error);
      // The server answered, but Shiplog's tables are not there.
      if (/_prisma_migrations.*does not exist|does not exist.*_prisma_migrations/.test(detail)) {
        return { ok: false, detail: "not migrated: run npm run db:migrate" };
      }
      return { ok: false, detail: `unreachable: ${detail}` };
    });
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
