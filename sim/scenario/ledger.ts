// What the simulator knows it did, by commit: the commits it pushed, the Builds, PipelineRuns and
// gates it created, the manifests commits and deploys. The ground truth is read from here and
// from the live objects.
import type { WebhookPayload } from "../harbor";
import type { KubeObject } from "../kube";
import type { FailureRates } from "./config";

export interface ObjectFact {
  cluster: string;
  namespace: string;
  name: string;
}

export interface CommitFact {
  app: string;
  sha: string;
  repoUrl: string;
  /** 0 for the commit that was already deployed when the simulator started. */
  n: number;
  author: string;
  title: string;
  committedAt: string;
  /** Approval gates of this commit wait for people even when the simulator decides gates. */
  humanGates?: boolean;
  /** This commit's own failure rates, over the scenario's (e.g. none for a commit that must pass). */
  rates?: Partial<FailureRates>;
}

export interface BuildFact extends ObjectFact {
  app: string;
  sha: string;
  reason: string;
  digest: string;
  image: string;
}

export interface PipelineRunFact extends ObjectFact {
  app: string;
  environment: string;
  digest: string;
  stage: "pipeline" | "verify";
}

export interface GateFact extends ObjectFact {
  app: string;
  environment: string;
  digest: string;
  kind: "Approval" | "ApprovalTask";
  pipelineRun: string;
}

export interface ManifestsFact {
  sha: string;
  app: string;
  environment: string;
  digest: string;
}

export interface DeployFact {
  cluster: string;
  application: string;
  environment: string;
  app: string;
  /** The manifests commit synced: the branch head, which may be later than the promote's own. */
  revision: string;
  /** The image digest the synced manifests pin (what ties a deploy to its commit). */
  digest: string | null;
  status: "pending" | "running" | "succeeded" | "failed";
  health: string | null;
}

export class Ledger {
  readonly commits: CommitFact[] = [];
  readonly builds: BuildFact[] = [];
  readonly pipelineRuns: PipelineRunFact[] = [];
  readonly gates: GateFact[] = [];
  readonly manifests = new Map<string, ManifestsFact>();
  readonly deploys = new Map<string, DeployFact>();
  /** Harbor's PUSH_ARTIFACT body per digest: what the production trigger replays. */
  readonly pushEvents = new Map<string, WebhookPayload>();
  /** Objects the history limits deleted, as they last were (cluster/type/namespace/name → object). */
  readonly gone = new Map<string, KubeObject>();
  /** Syncs per cluster/application/image, so a retried sync may turn out differently. */
  readonly syncAttempts = new Map<string, number>();

  addCommit(fact: CommitFact): void {
    this.commits.push(fact);
  }

  addBuild(fact: BuildFact): void {
    this.builds.push(fact);
  }

  addPipelineRun(fact: PipelineRunFact): void {
    this.pipelineRuns.push(fact);
  }

  addGate(fact: GateFact): void {
    this.gates.push(fact);
  }

  addManifests(fact: ManifestsFact): void {
    this.manifests.set(fact.sha, fact);
  }

  /** Records where a deploy of `revision` stands (the latest word wins). */
  setDeploy(fact: DeployFact): void {
    this.deploys.set(`${fact.cluster}/${fact.application}/${fact.revision}`, fact);
  }

  /** Keeps a deleted object's last state; Pods are not worth keeping. */
  remember(cluster: string, type: string, obj: KubeObject): void {
    if (type === "pods") return;
    const key = `${cluster}/${type}/${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;
    this.gone.set(key, {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace },
      status: obj.status,
    });
  }

  forgotten(
    cluster: string,
    type: string,
    namespace: string,
    name: string,
  ): KubeObject | undefined {
    return this.gone.get(`${cluster}/${type}/${namespace}/${name}`);
  }

  commitOf(app: string, sha: string): CommitFact | undefined {
    return this.commits.find((c) => c.app === app && c.sha === sha);
  }

  /** The commit a gate (a CustomRun by cluster, namespace and name) was opened for. */
  commitOfGate(cluster: string, namespace: string, name: string): CommitFact | undefined {
    const gate = this.gates.find(
      (g) => g.cluster === cluster && g.namespace === namespace && g.name === name,
    );
    return gate && this.commitOfDigest(gate.digest);
  }

  /** The failure rates that apply to a commit: its own over the scenario's. */
  ratesOf(base: FailureRates, commit: CommitFact | undefined): FailureRates {
    return commit?.rates ? { ...base, ...commit.rates } : base;
  }

  commitOfDigest(digest: string): CommitFact | undefined {
    const build = this.builds.find((b) => b.digest === digest);
    return build && this.commits.find((c) => c.sha === build.sha && c.app === build.app);
  }

  pipelineRun(cluster: string, namespace: string, name: string): PipelineRunFact | undefined {
    return this.pipelineRuns.find(
      (p) => p.cluster === cluster && p.namespace === namespace && p.name === name,
    );
  }
}
