// The one Prisma client (pure-JS engine over node-postgres), shared by the whole process.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { config, requireServerConfig } from "../config";

export { Prisma } from "./generated/client";

const globalForPrisma = globalThis as unknown as { shiplogPrisma?: PrismaClient };

export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

/** Created on first use so that building the app needs no database. */
export function db(): PrismaClient {
  globalForPrisma.shiplogPrisma ??= createPrismaClient(requireServerConfig(config()).databaseUrl);
  return globalForPrisma.shiplogPrisma;
}
