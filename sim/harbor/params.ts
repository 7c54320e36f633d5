// Query parameters as Harbor reads them: go-swagger binding (page/page_size int64, page_size at
// most 100 -> 422; booleans via swag.ConvertBool, which never fails), the `q` mini-language of
// src/lib/q/builder.go (400 on bad syntax), and the pagination Link header of BaseAPI.Links.
import { badRequest, validationFailure } from "./errors";

export interface Paging {
  page: number;
  pageSize: number;
}

const INT64 = /^[+-]?\d+$/;

/** page (default 1) and page_size (default 10, maximum 100); invalid values fail together. */
export function readPaging(query: URLSearchParams): Paging {
  const failures: string[] = [];
  const readInt = (name: string, fallback: number) => {
    const raw = query.get(name);
    if (raw === null || raw === "") return fallback;
    if (!INT64.test(raw)) {
      failures.push(`${name} in query must be of type int64: "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };
  const page = readInt("page", 1);
  const pageSize = readInt("page_size", 10);
  if (pageSize > 100) failures.push("page_size in query should be less than or equal to 100");
  if (failures.length > 0) throw validationFailure(failures);
  return { page: Math.max(page, 1), pageSize: Math.max(pageSize, 0) };
}

const TRUE_WORDS = new Set([
  "true",
  "1",
  "yes",
  "ok",
  "y",
  "on",
  "selected",
  "checked",
  "t",
  "enabled",
]);

/** swag.ConvertBool: a listed true-word is true, any other value false; absent -> default. */
export function readBool(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  return TRUE_WORDS.has(raw.toLowerCase());
}

export type Keyword =
  | { kind: "exact"; value: string }
  | { kind: "fuzzy"; value: string }
  | { kind: "range"; min?: string; max?: string }
  | { kind: "or"; values: string[] }
  | { kind: "and"; values: string[] };

function listValues(inner: string): string[] {
  return inner
    .split(" ")
    .map((v) => v.trim().replace(/^["']|["']$/g, ""))
    .filter((v) => v !== "");
}

function parsePattern(value: string): Keyword {
  switch (value[0]) {
    case "~":
      if (value.length < 2)
        throw new Error(
          'fuzzy match value must start with "~" and contain at least 1 other characters',
        );
      return { kind: "fuzzy", value: value.slice(1) };
    case "[": {
      if (!value.endsWith("]") || value.split("~").length !== 2) {
        throw new Error('range must start with "[", end with "]" and contains only one "~"');
      }
      const [min, max] = value
        .slice(1, -1)
        .split("~")
        .map((v) => v.trim());
      if (!min && !max) throw new Error("min and max at least one should be set in range'");
      return { kind: "range", ...(min ? { min } : {}), ...(max ? { max } : {}) };
    }
    case "{":
      if (!value.endsWith("}")) throw new Error('or list must start with "{" and end with "}"');
      return { kind: "or", values: listValues(value.slice(1, -1)) };
    case "(":
      if (!value.endsWith(")")) throw new Error('and list must start with "(" and end with ")"');
      return { kind: "and", values: listValues(value.slice(1, -1)) };
    default:
      return { kind: "exact", value: value.startsWith("\\") ? value.slice(1) : value };
  }
}

/** q=k=v,k=~v,k=[min~max],k={v1 v2},k=(v1 v2) -> keywords; bad syntax is 400 BAD_REQUEST. */
export function parseQ(raw: string | null): Map<string, Keyword> {
  const keywords = new Map<string, Keyword>();
  if (!raw) return keywords;
  let q = raw;
  try {
    // Harbor unescapes once more, so "tags%3Dnil" works too
    q = decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    // keep it as it came, as Harbor does after logging
  }
  for (const param of q.split(",")) {
    const eq = param.indexOf("=");
    const key = eq < 0 ? "" : param.slice(0, eq);
    const value = eq < 0 ? "" : param.slice(eq + 1);
    if (!key || !value) {
      throw badRequest('the query string must contain "=" and the key/value cannot be empty');
    }
    try {
      keywords.set(key, parsePattern(value));
    } catch {
      throw badRequest(`invalid query string value: ${value}`);
    }
  }
  return keywords;
}

/** Does a string field satisfy a keyword (exact, fuzzy = substring, or-list)? */
export function matchesKeyword(keyword: Keyword, value: string): boolean {
  switch (keyword.kind) {
    case "exact":
      return value === keyword.value;
    case "fuzzy":
      return value.includes(keyword.value);
    case "or":
      return keyword.values.includes(value);
    case "and":
      return keyword.values.every((v) => v === value);
    case "range":
      return (!keyword.min || value >= keyword.min) && (!keyword.max || value <= keyword.max);
  }
}

export function paginate<T>(items: T[], paging: Paging): T[] {
  if (paging.pageSize === 0) return items;
  const start = (paging.page - 1) * paging.pageSize;
  return items.slice(start, start + paging.pageSize);
}

/**
 * BaseAPI.Links: `<path?page=1&page_size=10>; rel="prev" , <...>; rel="next"`, the query
 * re-encoded with sorted keys and then unescaped, the path as the client sent it. Empty when
 * there is neither a previous nor a next page (then Harbor sends no Link header).
 */
export function paginationLinks(
  rawPath: string,
  query: URLSearchParams,
  total: number,
  paging: Paging,
): string {
  const { page, pageSize } = paging;
  if (pageSize === 0) return "";
  const link = (target: number, rel: string) => {
    const values = new Map<string, string[]>();
    for (const [k, v] of query) values.set(k, [...(values.get(k) ?? []), v]);
    values.set("page", [String(target)]);
    values.set("page_size", [String(pageSize)]);
    const encoded = [...values.keys()]
      .sort()
      .flatMap((k) => values.get(k)!.map((v) => `${k}=${v}`))
      .join("&");
    return `<${rawPath}?${encoded}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1 && (page - 1) * pageSize < total) links.push(link(page - 1, "prev"));
  if (pageSize * page < total) links.push(link(page + 1, "next"));
  return links.join(" , ");
}
