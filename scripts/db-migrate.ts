// `npm run db:migrate`: apply prisma/migrations to DATABASE_URL.
import { config, describeConfigError, requireServerConfig } from "../lib/config";
import { migrate } from "./lib/migrate";

try {
  const { databaseUrl } = requireServerConfig(config());
  await migrate(databaseUrl);
} catch (error) {
  console.error(describeConfigError(error) ?? (error instanceof Error ? error.message : error));
  process.exit(describeConfigError(error) ? 2 : 1);
}
