// In-memory records of the simulated Harbor: projects, repositories, artifacts, tags.
// Lookups fail with the same errors and messages Harbor's controllers use.
import { conflict, notFound } from "./errors";
import type { ArtifactRecord, ProjectRecord, RepositoryRecord, TagRecord } from "./types";

/** What go-digest's Parse accepts; anything else is looked up as a tag. */
export function isDigest(reference: string): boolean {
  return /^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/.test(reference);
}

export interface NewArtifact {
  project: ProjectRecord;
  /** Repository name inside the project, e.g. "app" or "team/app". */
  repository: string;
  digest: string;
  tags: string[];
  size: number;
  mediaType: string;
  manifestMediaType: string;
  architecture: string;
  os: string;
  created: Date;
  labels: Record<string, string>;
  /** Push time. */
  at: Date;
}

const byPushTimeThenIdDesc = (
  a: { pushTime: Date; id: number },
  b: { pushTime: Date; id: number },
) => b.pushTime.getTime() - a.pushTime.getTime() || b.id - a.id;

export class HarborStore {
  private readonly projects = new Map<string, ProjectRecord>();
  private readonly repositories = new Map<string, RepositoryRecord>();
  private readonly artifacts = new Map<number, ArtifactRecord>();
  private readonly tags = new Map<number, TagRecord>();
  private readonly seq = { project: 0, repository: 0, artifact: 0, tag: 0 };

  constructor(private readonly now: () => Date) {}

  // ---- projects ----

  createProject(name: string, options: { public?: boolean; autoScan?: boolean } = {}) {
    if (this.projects.has(name)) throw conflict(`The project named ${name} already exists`);
    const at = this.now();
    const project: ProjectRecord = {
      id: ++this.seq.project,
      name,
      public: options.public ?? false,
      autoScan: options.autoScan ?? false,
      creationTime: at,
      updateTime: at,
    };
    this.projects.set(name, project);
    return project;
  }

  project(name: string): ProjectRecord | undefined {
    return this.projects.get(name);
  }

  projectById(id: number): ProjectRecord | undefined {
    return [...this.projects.values()].find((p) => p.id === id);
  }

  /** GET /projects/{name}: "project X not found". */
  requireProject(nameOrId: string | number): ProjectRecord {
    const project =
      typeof nameOrId === "number" ? this.projectById(nameOrId) : this.projects.get(nameOrId);
    if (!project) throw notFound(`project ${nameOrId} not found`);
    return project;
  }

  listProjects(): ProjectRecord[] {
    return [...this.projects.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  // ---- repositories ----

  repository(fullName: string): RepositoryRecord | undefined {
    return this.repositories.get(fullName);
  }

  requireRepository(fullName: string): RepositoryRecord {
    const repository = this.repositories.get(fullName);
    if (!repository) throw notFound(`repository ${fullName} not found`);
    return repository;
  }

  listRepositories(projectId: number): RepositoryRecord[] {
    return [...this.repositories.values()]
      .filter((r) => r.projectId === projectId)
      .sort((a, b) => b.creationTime.getTime() - a.creationTime.getTime() || b.id - a.id);
  }

  private ensureRepository(project: ProjectRecord, repository: string, at: Date) {
    const fullName = `${project.name}/${repository}`;
    let record = this.repositories.get(fullName);
    if (!record) {
      record = {
        id: ++this.seq.repository,
        projectId: project.id,
        name: fullName,
        creationTime: at,
        updateTime: at,
      };
      this.repositories.set(fullName, record);
    }
    return record;
  }

  // ---- artifacts and tags ----

  /** Registry push: the artifact is created once per digest; tags attach to it (moving off
   * whatever artifact held them before), as Harbor's artifact controller Ensure does. */
  putArtifact(input: NewArtifact): { artifact: ArtifactRecord; created: boolean } {
    const at = input.at;
    const repository = this.ensureRepository(input.project, input.repository, at);
    let artifact = this.findByDigest(repository.name, input.digest);
    const created = !artifact;
    if (!artifact) {
      artifact = {
        id: ++this.seq.artifact,
        projectId: input.project.id,
        repositoryId: repository.id,
        repositoryName: repository.name,
        digest: input.digest,
        size: input.size,
        mediaType: input.mediaType,
        manifestMediaType: input.manifestMediaType,
        pushTime: at,
        architecture: input.architecture,
        os: input.os,
        created: input.created,
        labels: { ...input.labels },
        scan: null,
      };
      this.artifacts.set(artifact.id, artifact);
    } else {
      artifact.pushTime = at;
    }
    for (const name of input.tags) {
      const existing = [...this.tags.values()].find(
        (t) => t.repositoryId === repository.id && t.name === name,
      );
      if (existing) {
        existing.artifactId = artifact.id;
        existing.pushTime = at;
      } else {
        const id = ++this.seq.tag;
        this.tags.set(id, {
          id,
          repositoryId: repository.id,
          artifactId: artifact.id,
          name,
          pushTime: at,
        });
      }
    }
    repository.updateTime = at;
    return { artifact, created };
  }

  private findByDigest(repositoryName: string, digest: string) {
    return [...this.artifacts.values()].find(
      (a) => a.repositoryName === repositoryName && a.digest === digest,
    );
  }

  /** GetByReference: a digest, or else a tag (controller/artifact/controller.go). */
  resolve(repositoryName: string, reference: string): ArtifactRecord {
    if (isDigest(reference)) {
      const artifact = this.findByDigest(repositoryName, reference);
      if (!artifact) throw notFound(`artifact ${repositoryName}@${reference} not found`);
      return artifact;
    }
    const repository = this.requireRepository(repositoryName);
    const tag = [...this.tags.values()].find(
      (t) => t.repositoryId === repository.id && t.name === reference,
    );
    if (!tag) throw notFound(`artifact ${repositoryName}:${reference} not found`);
    return this.artifacts.get(tag.artifactId)!;
  }

  /** Newest push first, as Harbor's artifact model GetDefaultSorts (-PushTime, -ID). */
  listArtifacts(repositoryName: string): ArtifactRecord[] {
    return [...this.artifacts.values()]
      .filter((a) => a.repositoryName === repositoryName)
      .sort(byPushTimeThenIdDesc);
  }

  allArtifacts(): ArtifactRecord[] {
    return [...this.artifacts.values()].sort((a, b) => a.id - b.id);
  }

  artifactCount(repositoryId: number): number {
    return [...this.artifacts.values()].filter((a) => a.repositoryId === repositoryId).length;
  }

  tagsOf(artifactId: number): TagRecord[] {
    return [...this.tags.values()]
      .filter((t) => t.artifactId === artifactId)
      .sort(byPushTimeThenIdDesc);
  }

  /** Deletes the artifact and its tags; returns the tags it had (the DELETE_ARTIFACT payload
   * names the first). The repository stays, as in Harbor. */
  deleteArtifact(artifact: ArtifactRecord): TagRecord[] {
    const tags = this.tagsOf(artifact.id);
    for (const tag of tags) this.tags.delete(tag.id);
    this.artifacts.delete(artifact.id);
    return tags;
  }
}
