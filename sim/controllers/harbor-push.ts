// kpack's export step as Harbor sees it: a push of the built image to project/app with the build's
// tags and the OCI revision label, by kpack's robot account. Harbor scans on push (the project has
// auto-scan) and the scanner finishes with seeded findings (scanOutcome).
import type { ScanOutcome } from "../harbor";
import type { ScenarioConfig } from "../scenario/config";
import type { SimContext } from "./context";
import type { Seeded } from "./random";

export interface PushInput {
  app: string;
  digest: string;
  /** The Build's spec.tags (full references). */
  tags: string[];
  revision: string;
  repoUrl: string;
}

/** "registry/shop/app:b3.20261125.101500" → "b3.20261125.101500"; no tag → "latest". Unique-tag first. */
export function tagsOf(refs: string[]): string[] {
  const tags = refs.map((ref) => {
    const slash = ref.lastIndexOf("/");
    const colon = ref.lastIndexOf(":");
    return colon > slash ? ref.slice(colon + 1) : "latest";
  });
  return [...tags.filter((t) => t !== "latest"), ...tags.filter((t) => t === "latest")];
}

export function pushBuiltImage(ctx: SimContext, input: PushInput): void {
  ctx.harbor.pushArtifact({
    project: ctx.config.harborProject,
    repository: input.app,
    digest: input.digest,
    tags: tagsOf(input.tags),
    labels: {
      "org.opencontainers.image.revision": input.revision,
      "org.opencontainers.image.source": input.repoUrl.replace(/\.git$/, ""),
      "io.buildpacks.stack.id": "io.buildpacks.stacks.jammy",
    },
    pushedBy: `robot$${ctx.config.harborProject}+kpack`,
  });
}

/** The scanner's verdict on an image: keyed by digest, so a rescan finds the same. */
export function scanOutcome(
  cfg: ScenarioConfig,
  seed: Seeded,
  digest: string,
): ScanOutcome & { afterMs: number } {
  const afterMs = cfg.durations.scan;
  if (seed.chance(cfg.rates.scanFailure, "scan-fails", digest)) return { afterMs, fail: true };
  const critical = seed.chance(cfg.rates.scanCritical, "scan-critical", digest)
    ? seed.int(1, 3, "criticals", digest)
    : 0;
  const counts = {
    critical,
    high: seed.int(0, 4, "high", digest),
    medium: seed.int(0, 9, "medium", digest),
    low: seed.int(2, 20, "low", digest),
    unknown: seed.int(0, 1, "unknown", digest),
  };
  const total = counts.critical + counts.high + counts.medium + counts.low + counts.unknown;
  return { afterMs, counts, fixable: Math.floor(total * seed.float("fixable", digest)) };
}
