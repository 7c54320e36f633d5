// Reads a V8 CPU profile of the Shiplog read server (taken over one phase through node:inspector,
// see read-server.ts) into where its busy time went, by component. Native frames and Node's own
// internals count for the library that called them (a socket write for node-postgres).

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
};
export type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
export type Component = { component: string; ms: number; share: number };

const COMPONENTS: [RegExp, string][] = [
  [/^wasm:/, "Prisma query compiler (WASM)"],
  [/node_modules\/@prisma\//, "Prisma client and adapter (JS)"],
  [/node_modules\/pg(-[a-z]+)?\//, "node-postgres driver"],
  // The benchmark's own server first: its path (bench/lib/…) would match the handlers' pattern.
  [/\/bench\//, "HTTP serving (read-server.ts, node:http)"],
  [/\/lib\/timeline\//, "timeline assembly (lib/timeline)"],
  [/\/(lib|app)\//, "Shiplog handlers (app, lib/db, lib/http, lib/auth)"],
  [/node_modules\/zod\//, "zod"],
  [/^node:internal\/(deps\/undici|webstreams)/, "Request/Response (undici, web streams)"],
  [/tsx|esbuild|internal\/modules/, "module loading (tsx)"],
];

/** A frame's component; null for native frames and Node internals (their caller decides). */
function componentOf(url: string, functionName: string): string | null {
  if (functionName === "(garbage collector)") return "garbage collection";
  if (!url && (functionName === "stringify" || functionName === "parse")) return "JSON (native)";
  if (functionName === "(program)") return "V8 (program)";
  if (!url) return null;
  const found = COMPONENTS.find(([pattern]) => pattern.test(url))?.[1];
  return found ?? (url.startsWith("node:") ? null : "other JS");
}

const NODE = "Node (event loop, HTTP parsing, sockets)";

export function summarizeCpuProfile(profile: CpuProfile): {
  busyMs: number;
  components: Component[];
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = new Map<number, string | null>();
  const resolve = (id: number): string | null => {
    if (owner.has(id)) return owner.get(id) ?? null;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === "(idle)") return null;
    const own = componentOf(node.callFrame.url, node.callFrame.functionName);
    const up = parent.get(id);
    // Reached the root with no library frame: Node's event loop, HTTP parser and sockets.
    const found = own ?? (up === undefined ? NODE : (resolve(up) ?? NODE));
    owner.set(id, found);
    return found;
  };
  const ms = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const component = resolve(id);
    if (component)
      ms.set(component, (ms.get(component) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const busyMs = [...ms.values()].reduce((s, v) => s + v, 0);
  const components = [...ms]
    .map(([component, t]) => ({ component, ms: t, share: t / busyMs }))
    .sort((a, b) => b.ms - a.ms);
  return { busyMs, components };
}
