// `npm run token -- create --name NAME --role ROLE [--expires 30d]` prints a new API token alone
// on its last line (only its hash is stored); `list` shows every token; `revoke --id ID` ends one.
// Talks to DATABASE_URL directly, like db:migrate: whoever can run it can reach the database.
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { config, describeConfigError, requireServerConfig } from "../lib/config";
import { createPool } from "../lib/db/pool";
import { isRole, ROLES } from "../lib/auth/roles";
import { LIFETIME_HINT, parseLifetime } from "../lib/auth/token-format";
import { createToken, listTokens, revokeToken, tokenState } from "../lib/auth/tokens";

const USAGE = `usage:
  npm run token -- create --name NAME --role ${ROLES.join("|")} [--expires 30d]
  npm run token -- list
  npm run token -- revoke --id ID`;

class UsageError extends Error {}

function actor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return "cli";
  }
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const day = (date: Date | null) => (date ? `${date.toISOString().slice(0, 16)}Z` : "-");

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: "string" },
      role: { type: "string" },
      expires: { type: "string" },
      id: { type: "string" },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || rest.length) throw new UsageError(USAGE);
  const databaseUrl = requireServerConfig(config()).databaseUrl;
  const pool = createPool(databaseUrl, 2);
  try {
    if (command === "create") {
      const name = values.name?.trim();
      if (!name) throw new UsageError(`--name is required\n${USAGE}`);
      if (name.length > 100) throw new UsageError("--name must be at most 100 characters");
      if (!isRole(values.role)) {
        throw new UsageError(`--role must be one of ${ROLES.join(", ")}\n${USAGE}`);
      }
      const lifetimeMs = values.expires === undefined ? undefined : parseLifetime(values.expires);
      if (values.expires !== undefined && lifetimeMs === undefined) {
        throw new UsageError(`--expires must be ${LIFETIME_HINT}`);
      }
      const created = await createToken(pool, {
        name,
        role: values.role,
        lifetimeMs,
        actor: actor(),
      });
      out(
        `created token "${created.name}" (id ${created.id}, role ${created.role}, ` +
          `expires ${created.expiresAt ? day(created.expiresAt) : "never"})`,
      );
      out("copy it now; Shiplog keeps only its hash and cannot show it again:");
      out(created.token);
    } else if (command === "list") {
      const now = new Date();
      const tokens = await listTokens(pool);
      if (tokens.length === 0) out("no API tokens");
      for (const t of tokens) {
        out(
          [
            t.id,
            t.name,
            t.role,
            tokenState(t, now),
            `${t.prefix}…`,
            `created ${day(t.createdAt)} by ${t.createdBy}`,
            `expires ${day(t.expiresAt)}`,
            `last used ${day(t.lastUsedAt)}`,
          ].join("\t"),
        );
      }
    } else if (command === "revoke") {
      if (!values.id) throw new UsageError(`--id is required\n${USAGE}`);
      const revoked = await revokeToken(pool, { id: values.id, actor: actor() });
      out(`revoked token "${revoked.name}" (id ${revoked.id})`);
    } else {
      throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    }
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const line = describeConfigError(error);
  if (line) {
    process.stderr.write(`${line}\n`);
    process.exit(2);
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof UsageError || String(code).startsWith("ERR_PARSE_ARGS")) {
    process.stderr.write(`token: ${(error as Error).message}\n`);
    process.exit(2);
  }
  // Unknown id, already revoked, database down: one line, no stack.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`token: ${message}\n`);
  process.exit(1);
});
