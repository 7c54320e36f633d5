// `npm run user -- disable <username>` disables a person: they cannot sign in, and every session
// they hold ends within seconds on every replica. `enable <username>` lets them in again; `list`
// shows everyone who signed in. A person is named by username, e-mail or user id. Audited.
// Talks to DATABASE_URL directly, like db:migrate: whoever can run it can reach the database.
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { config, describeConfigError, requireServerConfig } from "../lib/config";
import { createPool } from "../lib/db/pool";
import { listUsers, setUserDisabled } from "../lib/auth/users";

const USAGE = `usage:
  npm run user -- disable <username|e-mail|id>
  npm run user -- enable <username|e-mail|id>
  npm run user -- list`;

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
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true });
  const [command, who, ...rest] = positionals;
  if (!command || rest.length) throw new UsageError(USAGE);
  if (command !== "list" && command !== "disable" && command !== "enable") {
    throw new UsageError(`unknown command "${command}"\n${USAGE}`);
  }
  if (command === "list" ? who !== undefined : !who?.trim()) throw new UsageError(USAGE);
  const pool = createPool(requireServerConfig(config()).databaseUrl, 2);
  try {
    if (command === "list") {
      const users = await listUsers(pool);
      if (users.length === 0) out("no users have signed in");
      for (const u of users) {
        out(
          [
            u.id,
            u.username ?? "-",
            u.email ?? "-",
            u.disabledAt ? `disabled ${day(u.disabledAt)}` : "active",
            u.roles.join(",") || "-",
            `last seen ${day(u.lastSeenAt)}`,
          ].join("\t"),
        );
      }
      return;
    }
    const disabled = command === "disable";
    const result = await setUserDisabled(pool, { who: who!.trim(), disabled, actor: actor() });
    const state = disabled ? "disabled" : "enabled";
    out(
      result.changed
        ? `${state} ${result.name} (id ${result.id})${disabled ? "; their sessions have ended" : ""}`
        : `${result.name} (id ${result.id}) was already ${state}`,
    );
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
    process.stderr.write(`user: ${(error as Error).message}\n`);
    process.exit(2);
  }
  // Unknown user, an ambiguous username, database down: one line, no stack.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`user: ${message}\n`);
  process.exit(1);
});
