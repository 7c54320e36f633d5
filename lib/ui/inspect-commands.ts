// Terminal commands that show a timeline stage in its own system (kubectl, tkn, kp, argocd, the
// Harbor API), for people who want the raw object or the logs. Pure: built from the stage alone.
import type { Stage, System } from "@/lib/sources/types";

export interface InspectCommand {
  /** What the command shows, e.g. "PipelineRun YAML". */
  label: string;
  command: string;
}

export interface InspectableStage {
  stage: Stage;
  cluster: string | null;
  resource: { system: System; kind: string; namespace: string; name: string } | null;
  details?: unknown;
}

/** Quotes a word for a POSIX shell only when it needs it (Kubernetes names never do). */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const cmd = (...words: (string | null | undefined | false)[]) =>
  words
    .filter((w): w is string => typeof w === "string" && w !== "")
    .map((w, i) => (i === 0 || w.startsWith("-") ? w : shellWord(w)))
    .join(" ");

function kubectlGet(cluster: string | null, namespace: string, resource: string, name: string) {
  return cmd(
    "kubectl",
    ...(cluster ? ["--context", cluster] : []),
    ...(namespace ? ["-n", namespace] : []),
    "get",
    resource,
    name,
    "-o",
    "yaml",
  );
}

/** kpack names a Build `<image>-build-<n>` (older releases add a random suffix). */
export function kpackImageName(buildName: string): string | null {
  const match = /^(.+)-build-\d+(-[a-z0-9]{5})?$/.exec(buildName);
  return match ? match[1] : null;
}

function field<T>(details: unknown, name: string): T | null {
  if (typeof details !== "object" || details === null) return null;
  const value = (details as Record<string, unknown>)[name];
  return value === undefined ? null : (value as T);
}

/** Harbor wants a repository with slashes double-encoded in its API paths. */
function harborArtifactUrl(repository: string, digest: string): string {
  const [project, ...rest] = repository.split("/");
  const repo = encodeURIComponent(encodeURIComponent(rest.join("/")));
  return `$HARBOR_URL/api/v2.0/projects/${project}/repositories/${repo}/artifacts/${digest}`;
}

/** A Tekton run's YAML through kubectl and its logs through tkn (`tkn pr|tr logs`). */
function tektonRun(
  ctx: string | null,
  ns: string,
  name: string,
  kind: string,
  resource: string,
  tknNoun: string,
): InspectCommand[] {
  return [
    { label: `${kind} YAML`, command: kubectlGet(ctx, ns, resource, name) },
    {
      label: "Logs",
      command: cmd(
        "tkn",
        tknNoun,
        "logs",
        name,
        ...(ns ? ["-n", ns] : []),
        ...(ctx ? ["--context", ctx] : []),
      ),
    },
  ];
}

export function inspectCommands(stage: InspectableStage, sha?: string): InspectCommand[] {
  const r = stage.resource;
  const ctx = stage.cluster;
  if (!r) {
    return stage.stage === "source" && sha ? [{ label: "Commit", command: `git show ${sha}` }] : [];
  }
  const ns = r.namespace;
  switch (`${r.system}:${r.kind}`) {
    case "tekton:PipelineRun":
      return tektonRun(ctx, ns, r.name, "PipelineRun", "pipelinerun", "pr");
    case "tekton:TaskRun":
      return tektonRun(ctx, ns, r.name, "TaskRun", "taskrun", "tr");
    case "tekton:CustomRun":
      return [{ label: "CustomRun YAML", command: kubectlGet(ctx, ns, "customrun", r.name) }];
    case "tekton:ApprovalTask":
      return [{ label: "ApprovalTask YAML", command: kubectlGet(ctx, ns, "approvaltask", r.name) }];
    case "kpack:Build": {
      const image = kpackImageName(r.name);
      const number = field<number>(stage.details, "buildNumber");
      const out: InspectCommand[] = [];
      // kp has no --context flag: it uses the kubeconfig's current context.
      if (image) {
        out.push({
          label: "Build logs",
          command: cmd(
            "kp",
            "build",
            "logs",
            image,
            ...(number !== null ? ["-b", String(number)] : []),
            ...(ns ? ["-n", ns] : []),
          ),
        });
      }
      out.push({ label: "Build YAML", command: kubectlGet(ctx, ns, "build", r.name) });
      return out;
    }
    case "argocd:Application":
      return [
        { label: "Application", command: cmd("argocd", "app", "get", r.name) },
        { label: "Application YAML", command: kubectlGet(ctx, ns, "application", r.name) },
      ];
    case "harbor:Artifact":
    case "harbor:Scan": {
      // Harbor stages are named `<project/repository>@<digest>`.
      const at = r.name.lastIndexOf("@");
      if (at <= 0) return [];
      const repository = r.name.slice(0, at);
      const digest = r.name.slice(at + 1);
      const query = r.kind === "Scan" ? "?with_scan_overview=true" : "";
      return [
        {
          label: r.kind === "Scan" ? "Scan overview" : "Artifact",
          command: `curl -su "$HARBOR_USERNAME:$HARBOR_PASSWORD" "${harborArtifactUrl(repository, digest)}${query}"`,
        },
      ];
    }
    default:
      return [];
  }
}
