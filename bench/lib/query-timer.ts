// Per-statement timing on a node-postgres pool: every query its clients send, grouped by the
// statement's opening words, with calls and total milliseconds (promise-style queries only).
import type pg from "pg";

export type StatementCost = { statement: string; calls: number; ms: number };

/** The statement's first words, enough to tell `insert into resources` from `select … links`. */
export function statementLabel(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  const target = /\b(?:into|from|update)\s+([a-z_"]+)/i.exec(flat)?.[1] ?? "";
  const verb = /^\w+/.exec(flat)?.[0].toLowerCase() ?? "?";
  return `${verb} ${target}`.trim() + (flat.length > 0 ? ` — ${flat.slice(0, 48)}` : "");
}

export function timeQueries(pool: pg.Pool): () => StatementCost[] {
  const costs = new Map<string, StatementCost>();
  const record = (sql: string, ms: number) => {
    const statement = statementLabel(sql);
    const cost = costs.get(statement) ?? { statement, calls: 0, ms: 0 };
    cost.calls += 1;
    cost.ms += ms;
    costs.set(statement, cost);
  };
  pool.on("connect", (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const start = performance.now();
      const result = original(...args);
      const text =
        typeof args[0] === "string" ? args[0] : ((args[0] as { text?: string })?.text ?? "");
      if (result && typeof (result as Promise<unknown>).then === "function") {
        void (result as Promise<unknown>).then(
          () => record(text, performance.now() - start),
          () => record(text, performance.now() - start),
        );
      }
      return result;
    };
  });
  return () => [...costs.values()].sort((a, b) => b.ms - a.ms);
}
