// Test helper: a raw watch request that collects newline-delimited events as they stream in.
import https from "node:https";
import type { KubeApi } from "./index";

export interface RawWatch {
  status: Promise<number>;
  events: { type: string; object: Record<string, unknown> }[];
  /** Resolves when the server ends the stream (true) or it errors (false). */
  ended: Promise<boolean>;
  close(): void;
}

export function rawWatch(
  api: KubeApi,
  urlPath: string,
  headers: Record<string, string> = {},
): RawWatch {
  const events: RawWatch["events"] = [];
  let resolveStatus: (n: number) => void = () => {};
  let resolveEnded: (b: boolean) => void = () => {};
  const status = new Promise<number>((r) => (resolveStatus = r));
  const ended = new Promise<boolean>((r) => (resolveEnded = r));
  const req = https.request(
    `${api.url}${urlPath}`,
    {
      method: "GET",
      ca: api.certs.caPem,
      headers: { Authorization: `Bearer ${api.token}`, ...headers },
    },
    (res) => {
      resolveStatus(res.statusCode ?? 0);
      let buf = "";
      res.on("data", (chunk: Buffer) => {
        buf += chunk.toString("utf8");
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) events.push(JSON.parse(line) as RawWatch["events"][number]);
        }
      });
      res.on("end", () => resolveEnded(true));
      res.on("error", () => resolveEnded(false));
      res.on("aborted", () => resolveEnded(false));
    },
  );
  req.on("error", () => {
    resolveStatus(0);
    resolveEnded(false);
  });
  req.end();
  return { status, events, ended, close: () => req.destroy() };
}
