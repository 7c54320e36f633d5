// Label and field selectors with the apiserver's syntax (k8s.io/apimachinery labels.Parse, fields.ParseSelector).
import { badRequest } from "./status-errors";

export type LabelOperator = "=" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

export interface LabelRequirement {
  key: string;
  op: LabelOperator;
  values: string[];
}

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

const KEY_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isValidLabelKey(key: string): boolean {
  const slash = key.indexOf("/");
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (!prefix || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && KEY_NAME.test(name);
}

export function isValidLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

type Token = { kind: "word" | "op" | "(" | ")" | ","; text: string };

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: c, text: c });
      i++;
    } else if (input.startsWith("==", i) || input.startsWith("!=", i)) {
      tokens.push({ kind: "op", text: input.slice(i, i + 2) });
      i += 2;
    } else if (c === "=" || c === "!" || c === "<" || c === ">") {
      tokens.push({ kind: "op", text: c });
      i++;
    } else {
      let j = i;
      while (j < input.length && !/[\s(),=!<>]/.test(input[j])) j++;
      tokens.push({ kind: "word", text: input.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

function parseError(selector: string, why: string) {
  return badRequest(
    `unable to parse requirement: ${why} (in selector ${JSON.stringify(selector)})`,
  );
}

/** Parses a label selector such as `app=web,tier in (a,b),!legacy`. Empty string selects everything. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const tokens = lex(selector);
  const reqs: LabelRequirement[] = [];
  let i = 0;
  const word = (what: string): string => {
    const t = tokens[i++];
    if (!t || t.kind !== "word") throw parseError(selector, `expected ${what}`);
    return t.text;
  };
  while (i < tokens.length) {
    let req: LabelRequirement;
    if (tokens[i].kind === "op" && tokens[i].text === "!") {
      i++;
      req = { key: word("key after '!'"), op: "!", values: [] };
    } else {
      const key = word("key");
      const next = tokens[i];
      if (!next || next.kind === ",") {
        req = { key, op: "exists", values: [] };
      } else if (next.kind === "op") {
        i++;
        const op = next.text === "==" ? "=" : next.text;
        if (op === "!") throw parseError(selector, "unexpected '!'");
        const t = tokens[i];
        const value = t && t.kind === "word" ? (i++, t.text) : "";
        if ((op === "<" || op === ">") && !/^-?\d+$/.test(value)) {
          throw parseError(selector, `for '${op}' operator, the value must be an integer`);
        }
        req = {
          key,
          op: op === "<" ? "lt" : op === ">" ? "gt" : (op as "=" | "!="),
          values: [value],
        };
      } else if (next.kind === "word" && (next.text === "in" || next.text === "notin")) {
        i++;
        if (tokens[i]?.kind !== "(") throw parseError(selector, `expected '(' after ${next.text}`);
        i++;
        const values: string[] = [];
        while (tokens[i] && tokens[i].kind !== ")") {
          if (tokens[i].kind === ",") {
            i++;
            continue;
          }
          values.push(word("value"));
        }
        if (tokens[i]?.kind !== ")") throw parseError(selector, "expected ')'");
        i++;
        req = { key, op: next.text, values };
      } else {
        throw parseError(selector, `unexpected ${JSON.stringify(next.text)}`);
      }
    }
    if (!isValidLabelKey(req.key))
      throw parseError(selector, `invalid label key ${JSON.stringify(req.key)}`);
    for (const v of req.values) {
      if (req.op !== "gt" && req.op !== "lt" && !isValidLabelValue(v)) {
        throw parseError(selector, `invalid label value: ${JSON.stringify(v)}`);
      }
    }
    reqs.push(req);
    if (i < tokens.length) {
      if (tokens[i].kind !== ",")
        throw parseError(selector, `expected ',' but got ${JSON.stringify(tokens[i].text)}`);
      i++;
      if (i >= tokens.length) throw parseError(selector, "trailing ','");
    }
  }
  return reqs;
}

export function matchesLabels(
  reqs: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case "=":
        return has && v === r.values[0];
      case "!=":
        return !has || v !== r.values[0];
      case "in":
        return has && r.values.includes(v);
      case "notin":
        return !has || !r.values.includes(v);
      case "exists":
        return has;
      case "!":
        return !has;
      case "gt":
      case "lt": {
        if (!has || !/^-?\d+$/.test(v)) return false;
        return r.op === "gt" ? Number(v) > Number(r.values[0]) : Number(v) < Number(r.values[0]);
      }
    }
  });
}

/** Splits on an unescaped separator; `\,` `\=` `\\` escape as in fields.ParseSelector. */
function splitEscaped(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\" && i + 1 < s.length) {
      cur += s[i] + s[i + 1];
      i++;
    } else if (s[i] === sep) {
      parts.push(cur);
      cur = "";
    } else {
      cur += s[i];
    }
  }
  parts.push(cur);
  return parts;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, "$1");
}

/** Parses `metadata.name=foo,metadata.namespace!=bar` into requirements (which fields are allowed is checked by the caller). */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  if (!selector.trim()) return [];
  return splitEscaped(selector, ",").map((part) => {
    const m = /^([^=!]+)(==|!=|=)(.*)$/.exec(part.trim());
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    return { field: m[1].trim(), op: m[2] === "!=" ? "!=" : "=", value: unescape(m[3]) };
  });
}

export function matchesFields(
  reqs: FieldRequirement[],
  get: (field: string) => string | undefined,
): boolean {
  return reqs.every((r) => {
    const v = get(r.field) ?? "";
    return r.op === "=" ? v === r.value : v !== r.value;
  });
}
