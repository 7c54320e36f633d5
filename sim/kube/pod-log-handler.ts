// GET pods/{name}/log: plain-text container logs, with container choice, tailLines, limitBytes and follow.
import { type ApiRequest, queryFlag, sendText } from "./http-util";
import { badRequest } from "./status-errors";
import type { KubeObject, ResourceType } from "./types";

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.map((c) => String((c as { name?: unknown }).name ?? "")) : [];
}

const DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";

function chooseContainer(pod: KubeObject, requested: string | null): string {
  const spec = (pod.spec ?? {}) as { containers?: unknown; initContainers?: unknown };
  const containers = names(spec.containers);
  const init = names(spec.initContainers);
  const name = pod.metadata.name ?? "";
  const chosen =
    requested ||
    pod.metadata.annotations?.[DEFAULT_CONTAINER] ||
    (containers.length === 1 ? containers[0] : "");
  if (!chosen) {
    const initPart = init.length ? ` or one of the init containers: [${init.join(" ")}]` : "";
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]${initPart}`,
    );
  }
  if (!containers.includes(chosen) && !init.includes(chosen)) {
    throw badRequest(`container ${chosen} is not valid for pod ${name}`);
  }
  return chosen;
}

function tail(text: string, lines: number | undefined): string {
  if (lines === undefined || lines < 0) return text;
  if (lines === 0) return "";
  const parts = text.split("\n");
  const trailing = text.endsWith("\n");
  if (trailing) parts.pop();
  return parts.slice(-lines).join("\n") + (trailing ? "\n" : "");
}

function finished(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: unknown } | undefined)?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

export function servePodLog(
  r: ApiRequest,
  type: ResourceType,
  namespace: string,
  name: string,
): void {
  const q = r.url.searchParams;
  const pod = r.store.get(type, namespace, name);
  const container = chooseContainer(pod, q.get("container"));
  const tailLines = q.get("tailLines") === null ? undefined : Number(q.get("tailLines"));
  const limitBytes = q.get("limitBytes") === null ? undefined : Number(q.get("limitBytes"));
  let text = tail(r.store.logs.get(namespace, name, container), tailLines);
  if (limitBytes !== undefined && limitBytes >= 0)
    text = Buffer.from(text).subarray(0, limitBytes).toString("utf8");
  if (!queryFlag(q, "follow") || finished(pod)) return sendText(r.res, 200, text);

  // follow: stream what is appended until the pod finishes or goes away, or the client leaves.
  r.res.writeHead(200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked" });
  r.res.write(text);
  let done = false;
  const unfollow = r.store.logs.follow(namespace, name, container, (chunk) => r.res.write(chunk));
  const stop = () => {
    if (done) return;
    done = true;
    unfollow();
    podWatch.stop();
    r.res.end();
  };
  const podWatch = r.store.watchRaw(
    type,
    {
      namespace,
      fieldSelector: `metadata.name=${name}`,
      resourceVersion: r.store.resourceVersion(),
    },
    (ev) => {
      if (ev.type === "DELETED" || finished(ev.object as KubeObject)) stop();
    },
  );
  r.res.on("close", stop);
}
