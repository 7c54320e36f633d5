// JSON views of the store's records, shaped like the go-swagger models Harbor's REST API
// serialises: omitempty scalars dropped, nil slices written as null, zero times as
// "0001-01-01T00:00:00.000Z", keys in the generated models' (alphabetical) order.
import { apiReportSummary } from "./scan-summary";
import type { HarborStore } from "./store";
import { apiTime } from "./time";
import type {
  ArtifactJson,
  ArtifactRecord,
  ProjectJson,
  ProjectRecord,
  RepositoryJson,
  RepositoryRecord,
  ScannerInfo,
  TagJson,
  TagRecord,
} from "./types";

/** icon.DigestOfIconImage: the icon Harbor shows for container images. */
export const IMAGE_ICON_DIGEST =
  "sha256:0048162a053eef4d4ce3fe7518615bef084403614f8bca43b40ae2e762e11e06";

/** How Harbor writes a repository name into its own links: "a/b" -> "a%252Fb". */
export function encodeRepositoryName(name: string): string {
  return name.split("/").map(encodeURIComponent).join("%252F");
}

export function tagJson(tag: TagRecord): TagJson {
  return {
    artifact_id: tag.artifactId,
    id: tag.id,
    immutable: false,
    name: tag.name,
    pull_time: apiTime(null),
    push_time: apiTime(tag.pushTime),
    repository_id: tag.repositoryId,
  };
}

export interface ArtifactViewOptions {
  withTag: boolean;
  withScanOverview: boolean;
  /** The scan_overview key (see overviewMimeType). */
  overviewMimeType: string;
}

function additionLinks(artifact: ArtifactRecord) {
  const slash = artifact.repositoryName.indexOf("/");
  const project = artifact.repositoryName.slice(0, slash);
  const repository = encodeRepositoryName(artifact.repositoryName.slice(slash + 1));
  const base = `/api/v2.0/projects/${project}/repositories/${repository}/artifacts/${artifact.digest}/additions`;
  return {
    build_history: { absolute: false, href: `${base}/build_history` },
    vulnerabilities: { absolute: false, href: `${base}/vulnerabilities` },
  };
}

/** The image config fields Harbor's manifest processor lifts into extra_attrs. */
function extraAttrs(artifact: ArtifactRecord): Record<string, unknown> {
  const config: Record<string, unknown> = {
    Env: [
      "PATH=/cnb/process:/cnb/lifecycle:/usr/local/bin:/usr/bin:/bin",
      "CNB_APP_DIR=/workspace",
    ],
    WorkingDir: "/workspace",
  };
  if (Object.keys(artifact.labels).length > 0) config.Labels = { ...artifact.labels };
  return {
    architecture: artifact.architecture,
    author: "",
    config,
    created: artifact.created.toISOString(),
    os: artifact.os,
  };
}

export function artifactJson(
  store: HarborStore,
  scanner: ScannerInfo,
  artifact: ArtifactRecord,
  options: ArtifactViewOptions,
): ArtifactJson {
  const tags = options.withTag ? store.tagsOf(artifact.id).map(tagJson) : [];
  const json: ArtifactJson = {
    accessories: null,
    addition_links: additionLinks(artifact),
    artifact_type: artifact.mediaType,
    digest: artifact.digest,
    extra_attrs: extraAttrs(artifact),
    icon: IMAGE_ICON_DIGEST,
    id: artifact.id,
    labels: null,
    manifest_media_type: artifact.manifestMediaType,
    media_type: artifact.mediaType,
    project_id: artifact.projectId,
    pull_time: apiTime(null),
    push_time: apiTime(artifact.pushTime),
    references: null,
    repository_id: artifact.repositoryId,
    repository_name: artifact.repositoryName,
    size: artifact.size,
    tags: tags.length > 0 ? tags : null,
    type: "IMAGE",
  };
  if (options.withScanOverview && artifact.scan) {
    const overview = { [options.overviewMimeType]: apiReportSummary(artifact.scan, scanner) };
    // keep the generated model's key order: scan_overview sits between repository_name and size
    const { size, tags: tagList, type, ...head } = json;
    return { ...head, scan_overview: overview, size, tags: tagList, type };
  }
  return json;
}

export function repositoryJson(store: HarborStore, repository: RepositoryRecord): RepositoryJson {
  return {
    artifact_count: store.artifactCount(repository.id),
    creation_time: apiTime(repository.creationTime),
    id: repository.id,
    name: repository.name,
    project_id: repository.projectId,
    pull_count: 0,
    update_time: apiTime(repository.updateTime),
  };
}

export function projectJson(
  store: HarborStore,
  project: ProjectRecord,
  viewer: { authenticated: boolean; ownerName: string },
): ProjectJson {
  const metadata: Record<string, string> = { public: String(project.public) };
  if (project.autoScan) metadata.auto_scan = "true";
  return {
    creation_time: apiTime(project.creationTime),
    // the simulator's one user is a system admin, i.e. project admin (role 1) everywhere
    ...(viewer.authenticated ? { current_user_role_id: 1 } : {}),
    current_user_role_ids: viewer.authenticated ? [1] : null,
    cve_allowlist: {
      creation_time: apiTime(null),
      id: project.id,
      items: [],
      project_id: project.id,
      update_time: apiTime(null),
    },
    metadata,
    name: project.name,
    owner_id: 1,
    owner_name: viewer.ownerName,
    project_id: project.id,
    repo_count: store.listRepositories(project.id).length,
    ...(viewer.authenticated ? { togglable: true } : {}),
    update_time: apiTime(project.updateTime),
  };
}
