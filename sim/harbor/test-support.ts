// Test support: a controllable clock, a seeded random source, and a fake fetch that records
// webhook requests, for driving HarborCore without timers or sockets.
import { readFileSync } from "node:fs";
import path from "node:path";

export function fakeClock(start: string | number) {
  let current = typeof start === "number" ? start * 1000 : Date.parse(start);
  return {
    now: () => new Date(current),
    /** Moves to an absolute time (ISO string or unix seconds). */
    set(at: string | number) {
      current = typeof at === "number" ? at * 1000 : Date.parse(at);
    },
    advance(ms: number) {
      current += ms;
    },
  };
}

/** mulberry32: a small seeded PRNG so digests and report ids repeat from run to run. */
export function seededRandom(seed = 42): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RecordedRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that answers each call with the next status (the last one repeats), or throws
 * when the status is "down". */
export function fakeFetch(statuses: Array<number | "down"> = [200]) {
  const requests: RecordedRequest[] = [];
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    requests.push({ url: String(input), headers, body: JSON.parse(String(init?.body)) });
    const status = statuses[Math.min(requests.length - 1, statuses.length - 1)];
    if (status === "down") {
      throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    }
    return new Response(status === 200 ? "ok" : "boom", { status });
  };
  return { fetch: impl as typeof fetch, requests };
}

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8")) as T;
}

/**
 * The key structure of a JSON value: objects become sorted key -> structure maps, scalars their
 * JSON type. The severity map inside a vulnerability summary is reduced to its value type,
 * since which severities appear depends on the findings.
 */
export function shapeOf(value: unknown, parentKey = ""): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.map((v) => shapeOf(v));
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (parentKey === "summary" && entries.every(([, v]) => typeof v === "number")) {
      return "map<severity,number>";
    }
    return Object.fromEntries(
      entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shapeOf(v, k)]),
    );
  }
  return typeof value;
}

export type Credentials = "admin" | "wrong" | "none";

/** fetch against a running simulator, with the admin's, wrong or no basic-auth credentials;
 * JSON bodies come back parsed. */
export function apiClient(harbor: { url: string; username: string; password: string }) {
  return async function api(
    path: string,
    init: {
      auth?: Credentials;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
    } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    const auth = init.auth ?? "admin";
    if (auth !== "none") {
      const password = auth === "admin" ? harbor.password : "not-the-password";
      headers.Authorization = `Basic ${Buffer.from(`${harbor.username}:${password}`).toString("base64")}`;
    }
    const response = await fetch(`${harbor.url}${path}`, {
      method: init.method ?? "GET",
      headers,
      body: init.body,
    });
    const text = await response.text();
    const isJson = response.headers.get("content-type")?.startsWith("application/json");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary JSON
    const json: any = text && isJson ? JSON.parse(text) : undefined;
    return { response, status: response.status, text, json };
  };
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | false | undefined | Promise<T | false | undefined>,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
