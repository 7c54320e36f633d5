// The JSONPath subset CRD printer columns use: .a.b, ['a'], [n], [*], [?(@.x=="y")] (== and !=).

type Step =
  | { kind: "field"; name: string }
  | { kind: "index"; index: number }
  | { kind: "wildcard" }
  | { kind: "filter"; path: string[]; op: "==" | "!="; value: unknown };

const cache = new Map<string, Step[]>();

function parse(expr: string): Step[] {
  let s = expr.trim();
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1);
  const steps: Step[] = [];
  let i = 0;
  const ident = () => {
    const m = /^[A-Za-z0-9_\-$]+/.exec(s.slice(i));
    if (!m) throw new Error(`bad JSONPath ${expr} at ${i}`);
    i += m[0].length;
    return m[0];
  };
  while (i < s.length) {
    if (s[i] === "$") {
      i++;
    } else if (s[i] === ".") {
      i++;
      if (s[i] === "*") {
        i++;
        steps.push({ kind: "wildcard" });
      } else if (i < s.length && s[i] !== "[") steps.push({ kind: "field", name: ident() });
    } else if (s[i] === "[") {
      const close = s.indexOf("]", i);
      if (close < 0) throw new Error(`bad JSONPath ${expr}`);
      const inner = s.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === "*") steps.push({ kind: "wildcard" });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: "index", index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: "field", name: inner.slice(1, -1) });
      else {
        const m = /^\?\(\s*@((?:\.[A-Za-z0-9_\-$]+)+)\s*(==|!=)\s*(.+?)\s*\)$/.exec(inner);
        if (!m) throw new Error(`unsupported JSONPath filter ${inner}`);
        const raw = m[3];
        const value = /^'.*'$|^".*"$/.test(raw)
          ? raw.slice(1, -1)
          : raw === "true"
            ? true
            : raw === "false"
              ? false
              : Number(raw);
        steps.push({
          kind: "filter",
          path: m[1].split(".").slice(1),
          op: m[2] as "==" | "!=",
          value,
        });
      }
    } else {
      throw new Error(`bad JSONPath ${expr} at ${i}`);
    }
  }
  return steps;
}

function child(v: unknown, key: string): unknown {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)[key]
    : undefined;
}

/** All values the expression selects (missing paths select nothing). */
export function evaluateJsonPath(expr: string, root: unknown): unknown[] {
  let steps = cache.get(expr);
  if (!steps) cache.set(expr, (steps = parse(expr)));
  let cur: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (step.kind === "field") {
        const c = child(v, step.name);
        if (c !== undefined) next.push(c);
      } else if (step.kind === "index") {
        if (Array.isArray(v)) {
          const c = v[step.index < 0 ? v.length + step.index : step.index];
          if (c !== undefined) next.push(c);
        }
      } else if (step.kind === "wildcard") {
        if (Array.isArray(v)) next.push(...v);
        else if (typeof v === "object" && v !== null) next.push(...Object.values(v));
      } else if (Array.isArray(v)) {
        for (const item of v) {
          const got = step.path.reduce<unknown>((acc, k) => child(acc, k), item);
          if ((got === step.value) === (step.op === "==")) next.push(item);
        }
      }
    }
    cur = next;
  }
  return cur;
}
