// Deep links into each system's own UI, built only when its base URL is configured.
import type { LinkBases } from "./types";

function base(url: string | null | undefined): string | null {
  const trimmed = url?.trim().replace(/\/+$/, "");
  return trimmed ? trimmed : null;
}

const seg = encodeURIComponent;

const TEKTON_PLURALS: Record<string, string> = {
  PipelineRun: "pipelineruns",
  TaskRun: "taskruns",
  CustomRun: "customruns",
};

/** Tekton Dashboard: `#/namespaces/<ns>/pipelineruns/<name>` (hash routes). */
export function tektonUrl(
  bases: LinkBases,
  kind: string,
  namespace: string,
  name: string,
): string | null {
  const root = base(bases.tektonDashboard);
  const plural = TEKTON_PLURALS[kind];
  if (!root || !plural || !namespace) return null;
  return `${root}/#/namespaces/${seg(namespace)}/${plural}/${seg(name)}`;
}

/** Argo CD: `/applications/<namespace>/<name>` (the form that works for apps in any namespace). */
export function argocdUrl(bases: LinkBases, namespace: string, name: string): string | null {
  const root = base(bases.argocd);
  if (!root) return null;
  return namespace
    ? `${root}/applications/${seg(namespace)}/${seg(name)}`
    : `${root}/applications/${seg(name)}`;
}

/**
 * Harbor portal: `/harbor/projects/<project>/repositories/<repo>/artifacts-tab/artifacts/<digest>`,
 * where <repo> is the repository without its project. Harbor's own links put the numeric project
 * id there; the store keeps only the project name.
 */
export function harborUrl(
  bases: LinkBases,
  project: string,
  repository: string,
  digest: string,
): string | null {
  const root = base(bases.harbor);
  if (!root || !project) return null;
  const rest = repository.startsWith(`${project}/`)
    ? repository.slice(project.length + 1)
    : repository;
  return `${root}/harbor/projects/${seg(project)}/repositories/${seg(rest)}/artifacts-tab/artifacts/${digest}`;
}

/**
 * The commit's page: the push webhook's own URL; else built from the repository when it lives on
 * the configured forge (GitLab's `/-/commit/<sha>`, GitHub's `/commit/<sha>`).
 */
export function commitUrl(
  bases: LinkBases,
  ownUrl: string | null,
  repoUrl: string | null,
  sha: string,
): string | null {
  if (ownUrl) return ownUrl;
  const host = base(bases.gitHost);
  const repo = base(repoUrl)?.replace(/\.git$/, "");
  if (!host || !repo || !repo.startsWith(`${host}/`)) return null;
  return /gitlab/i.test(host) ? `${repo}/-/commit/${sha}` : `${repo}/commit/${sha}`;
}
