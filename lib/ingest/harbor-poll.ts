// The Harbor reconcile poll: at start and then every minute, walks projects → repositories →
// artifacts and stores them as the webhooks would, so what a lost webhook missed still lands.
import type pg from "pg";
import type { HarborArtifact, HarborClient } from "../harbor/client";
import { splitRepositoryName } from "../harbor/paths";
import { normalizeHarborArtifact } from "../sources";
import { ingest, type Incoming } from "./store";

type Logger = {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
};

export type HarborPollOptions = {
  client: HarborClient;
  pool: pg.Pool;
  log: Logger;
  /** Pause between the end of one run and the start of the next; runs never overlap. */
  intervalMs?: number;
  /** Observations per ingest transaction. */
  batchSize?: number;
  /** Items per Harbor list request (Harbor allows at most 100). */
  pageSize?: number;
};

export type HarborPollRun = {
  at: string;
  durationMs: number;
  /** Artifacts read from Harbor. */
  artifacts: number;
  /** Commits whose timelines changed; 0 when Harbor said nothing new. */
  commits: number;
  /** Failures logged during the run (Harbor unreachable, refused, a bad answer, a failed write). */
  errors: number;
};

export type HarborPoll = { stop(): Promise<void>; lastRun(): HarborPollRun | null };

const HARBOR_SCOPE = { cluster: "", environment: null };

/** One walk over everything Harbor lists. Never throws: every failure is logged and counted. */
class Walk {
  readonly run: HarborPollRun;
  private readonly pending: Incoming[] = [];
  private readonly started = Date.now();
  private registry = "";

  constructor(
    private readonly options: HarborPollOptions,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.run = { at: new Date().toISOString(), durationMs: 0, artifacts: 0, commits: 0, errors: 0 };
  }

  private get paging() {
    return { pageSize: this.options.pageSize, signal: this.signal };
  }

  async everything(): Promise<HarborPollRun> {
    const { client } = this.options;
    try {
      // Also the cheap first request that finds Harbor down or the credentials wrong.
      const info = await client.checkCredentials({ signal: this.signal });
      this.registry = info.registryUrl ?? client.host;
      for await (const project of client.listProjects(this.paging)) {
        if (this.signal?.aborted) break;
        await this.project(project.name);
      }
    } catch (err) {
      this.failed({ harbor: client.url }, err, "polling Harbor failed; trying again next run");
    }
    await this.flush();
    this.run.durationMs = Date.now() - this.started;
    return this.run;
  }

  private async project(project: string): Promise<void> {
    try {
      for await (const repository of this.options.client.listRepositories(project, this.paging)) {
        if (this.signal?.aborted) break;
        await this.repository(project, repository.name);
      }
    } catch (err) {
      this.failed({ project }, err, "listing a Harbor project's repositories failed");
    }
  }

  /** `fullName` is `project/repository`, as Harbor lists it and as Shiplog stores it. */
  private async repository(project: string, fullName: string): Promise<void> {
    try {
      const { repository } = splitRepositoryName(fullName);
      const artifacts = this.options.client.listArtifacts(project, repository, this.paging);
      for await (const artifact of artifacts) {
        this.add(fullName, artifact);
        if (this.pending.length >= (this.options.batchSize ?? 200)) await this.flush();
      }
    } catch (err) {
      this.failed({ project, repository: fullName }, err, "polling a Harbor repository failed");
    }
  }

  private add(repository: string, artifact: HarborArtifact): void {
    const result = normalizeHarborArtifact(artifact, { registry: this.registry, repository });
    if (!result.ok) {
      this.failed(
        { repository, digest: artifact.digest },
        result.error,
        "skipped a Harbor artifact that cannot be read",
      );
      return;
    }
    this.run.artifacts++;
    for (const observation of result.observations)
      this.pending.push({ scope: HARBOR_SCOPE, observation });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    try {
      this.run.commits += (await ingest(this.options.pool, batch)).commits.length;
    } catch (err) {
      // The next run reads the same artifacts again; nothing is lost by dropping the batch.
      this.failed({ observations: batch.length }, err, "storing polled Harbor artifacts failed");
    }
  }

  private failed(fields: object, err: unknown, message: string): void {
    if (this.signal?.aborted) return; // stopping, not failing
    this.run.errors++;
    this.options.log.error({ ...fields, err }, message);
  }
}

/** One run of the poll; what startHarborPoll does on its timer. */
export async function pollHarborOnce(
  options: HarborPollOptions,
  signal?: AbortSignal,
): Promise<HarborPollRun> {
  const run = await new Walk(options, signal).everything();
  const quiet = run.errors === 0 && run.commits === 0;
  options.log[quiet ? "debug" : "info"]({ ...run }, "Harbor poll done");
  return run;
}

/** Runs the poll now and then `intervalMs` after each run ends, until stop(). */
export function startHarborPoll(options: HarborPollOptions): HarborPoll {
  const intervalMs = options.intervalMs ?? 60_000;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let last: HarborPollRun | null = null;

  const tick = () => {
    timer = undefined;
    running = pollHarborOnce(options, abort.signal)
      .then((run) => {
        if (!abort.signal.aborted) last = run;
      })
      // pollHarborOnce logs its own failures; this only keeps a surprise from ending the timer.
      .catch((err: unknown) => options.log.error({ err }, "Harbor poll failed"))
      .finally(() => {
        running = undefined;
        if (abort.signal.aborted) return;
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      });
  };
  tick();

  return {
    lastRun: () => last,
    async stop() {
      abort.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
