// The read benchmark's request mix, fixed by a seed: timelines of random commits (full SHAs and
// 7-character prefixes) and commit-list pages (first page, app and status filters, and cursor
// pages a few deep, their cursors walked once from the real server beforehand).
import { APPS } from "./bulk-load";
import type { Reply } from "./load";
import { releaseKeys } from "./synthetic";

export const LIST_DEPTH = 5;

/** mulberry32: a small deterministic PRNG, so two runs send the same requests. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function timelinePaths(count: number, commits: number, seed: number): string[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, k) => {
    const { sha } = releaseKeys(1 + Math.floor(next() * commits));
    return `/api/v1/commits/${k % 2 === 0 ? sha : sha.slice(0, 7)}`;
  });
}

const query = (params: Record<string, string>) => {
  const text = new URLSearchParams(params).toString();
  return `/api/v1/commits${text ? `?${text}` : ""}`;
};

/** The list filters the mix draws from, with their weights. */
function listBases(): { weight: number; params: Record<string, string>[] }[] {
  const apps = Array.from({ length: APPS }, (_, k) => `app${k}`);
  return [
    { weight: 30, params: [{}] },
    { weight: 30, params: apps.map((app) => ({ app })) },
    { weight: 20, params: ["failed", "running", "succeeded"].map((status) => ({ status })) },
    {
      weight: 20,
      params: apps.flatMap((app) => ["failed", "running"].map((status) => ({ app, status }))),
    },
  ];
}

/** Page 1..LIST_DEPTH of every base filter, following nextCursor on the real server. */
export async function walkListPages(
  fetchPage: (path: string) => Promise<Reply>,
): Promise<Map<string, string[]>> {
  const pages = new Map<string, string[]>();
  for (const base of listBases().flatMap((b) => b.params)) {
    const paths = [query(base)];
    while (paths.length < LIST_DEPTH) {
      const reply = await fetchPage(paths[paths.length - 1]);
      if (reply.status !== 200) throw new Error(`list ${paths.at(-1)}: HTTP ${reply.status}`);
      const cursor = (JSON.parse(reply.body.toString("utf8")) as { nextCursor: string | null })
        .nextCursor;
      if (!cursor) break;
      paths.push(query({ ...base, cursor }));
    }
    pages.set(query(base), paths);
  }
  return pages;
}

/** List requests: a weighted filter, then page 1 (60 %) or a cursor page 2..LIST_DEPTH. */
export function listPaths(count: number, pages: Map<string, string[]>, seed: number): string[] {
  const next = random(seed);
  const bases = listBases();
  const total = bases.reduce((sum, b) => sum + b.weight, 0);
  return Array.from({ length: count }, () => {
    let pick = next() * total;
    const base = bases.find((b) => (pick -= b.weight) < 0) ?? bases[0];
    const params = base.params[Math.floor(next() * base.params.length)];
    const walked = pages.get(query(params)) ?? [query(params)];
    const depth = next() < 0.6 ? 0 : 1 + Math.floor(next() * (walked.length - 1));
    return walked[Math.min(depth, walked.length - 1)];
  });
}
