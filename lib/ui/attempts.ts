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
  const out: AttemptGroup<T>[] = [];
  for (const [key, members] of groups) {
    // Two chains of the same length in one stage and environment (two builds of one commit, each
    // rebuilt once) would share a key: split them whenever an attempt number repeats.
    const chains: T[][] = [];
    for (const m of [...members].sort((a, b) => a.attempt - b.attempt)) {
      const chain = chains.find((c) => !c.some((x) => x.attempt === m.attempt));
      if (chain) chain.push(m);
      else chains.push([m]);
    }
    chains.forEach((chain, i) => {
      const newestFirst = [...chain].sort((a, b) => b.attempt - a.attempt);
      const current = newestFirst.find((s) => s.latest) ?? newestFirst[0];
      out.push({
        key: chains.length > 1 ? `${key}|${i}` : key,
        current,
        earlier: newestFirst.filter((s) => s !== current),
      });
    });
  }
  // In the order the timeline gave, by each group's first member.
  const position = new Map(stages.map((s, i) => [s.id, i]));
  const first = (g: AttemptGroup<T>) =>
    Math.min(...[g.current, ...g.earlier].map((s) => position.get(s.id) ?? 0));
  return out.sort((a, b) => first(a) - first(b));
}
