// Groups a timeline's stages so re-runs of one stage (kpack rebuilds, PipelineRun re-runs,
// re-syncs) show as attempts of one entry. Pure; keeps the timeline's order of first appearance.

export interface AttemptLike {
  id: string;
  stage: string;
  environment: string | null;
  attempt: number;
  attempts: number;
  latest: boolean;
  title: string;
  resource: { kind: string } | null;
}

export interface AttemptGroup<T extends AttemptLike> {
  /**
   * Stays the same when a re-run adds an attempt (the stage, environment, kind and which of
   * their groups this is, in timeline order), so the entry on screen is updated, not replaced.
   */
  key: string;
  /** The attempt that counts (the newest), shown first. */
  current: T;
  /** Earlier attempts, newest first. */
  earlier: T[];
}

/**
 * Stages of one kind in one environment that the timeline numbers as attempts of each other
 * (attempts > 1) are one group; within a stage and environment the attempt chains are told apart
 * by their attempt count and numbering (attempt 1..n with the same n).
 */
export function groupAttempts<T extends AttemptLike>(stages: T[]): AttemptGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const stage of stages) {
    const key =
      stage.attempts > 1
        ? `${stage.stage}|${stage.environment ?? ""}|${stage.resource?.kind ?? ""}|${stage.attempts}`
        : `single|${stage.id}`;
    const list = groups.get(key);
    if (list) list.push(stage);
    else groups.set(key, [stage]);
  }
  const out: Omit<AttemptGroup<T>, "key">[] = [];
  for (const members of groups.values()) {
    // Two chains of the same length in one stage and environment (two builds of one commit, each
    // rebuilt once) would share a key: split them whenever an attempt number repeats.
    const chains: T[][] = [];
    for (const m of [...members].sort((a, b) => a.attempt - b.attempt)) {
      const chain = chains.find((c) => !c.some((x) => x.attempt === m.attempt));
      if (chain) chain.push(m);
      else chains.push([m]);
    }
    for (const chain of chains) {
      const newestFirst = [...chain].sort((a, b) => b.attempt - a.attempt);
      const current = newestFirst.find((s) => s.latest) ?? newestFirst[0];
      out.push({ current, earlier: newestFirst.filter((s) => s !== current) });
    }
  }
  // In the order the timeline gave, by each group's first member.
  const position = new Map(stages.map((s, i) => [s.id, i]));
  const first = (g: Omit<AttemptGroup<T>, "key">) =>
    Math.min(...[g.current, ...g.earlier].map((s) => position.get(s.id) ?? 0));
  // Not keyed by ids or attempt counts: a re-run's new attempt changes both (a new run, or Argo
  // CD's history taking the deploy's former place), and a new key would replace the entry on
  // screen, closing the dialog that started the re-run and losing its answer.
  const seen = new Map<string, number>();
  return out
    .sort((a, b) => first(a) - first(b))
    .map((g) => {
      const kind = `${g.current.stage}|${g.current.environment ?? ""}|${g.current.resource?.kind ?? ""}`;
      const n = seen.get(kind) ?? 0;
      seen.set(kind, n + 1);
      return { key: `${kind}|${n}`, ...g };
    });
}
