// The load generator: a fixed list of GETs against one loopback server, a fixed number in flight
// over keep-alive connections; per-request latency from sending to the last byte of the body.
import http from "node:http";

export type Reply = { status: number; headers: Record<string, string>; body: Buffer };
export type Run = { latencies: number[]; seconds: number; statuses: Record<number, number> };

const KEPT_HEADERS = ["content-type", "cache-control", "www-authenticate"];

function get(agent: http.Agent, port: number, path: string, headers: http.OutgoingHttpHeaders) {
  return new Promise<Reply>((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const kept: Record<string, string> = {};
        for (const name of KEPT_HEADERS) {
          const value = res.headers[name];
          if (typeof value === "string") kept[name] = value;
        }
        resolve({ status: res.statusCode ?? 0, headers: kept, body: Buffer.concat(chunks) });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

/**
 * Sends every path once, `concurrency` at a time, in order. `onReply` sees each answer (the
 * capture of the bodies the bare server will replay).
 */
export async function drive(
  port: number,
  paths: string[],
  options: {
    concurrency: number;
    headers?: http.OutgoingHttpHeaders;
    onReply?: (path: string, reply: Reply) => void;
  },
): Promise<Run> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies = new Array<number>(paths.length);
  const statuses: Record<number, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const index = next++;
      const start = performance.now();
      const reply = await get(agent, port, paths[index], options.headers ?? {});
      latencies[index] = performance.now() - start;
      statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
      options.onReply?.(paths[index], reply);
    }
  };
  const start = performance.now();
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return { latencies, seconds: (performance.now() - start) / 1000, statuses };
}

export type Latency = {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  perSecond: number;
  statuses: Record<number, number>;
};

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarize(run: Run): Latency {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((sum, v) => sum + v, 0) / Math.max(1, sorted.length),
    perSecond: sorted.length / run.seconds,
    statuses: run.statuses,
  };
}
