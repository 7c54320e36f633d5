// kpack objects as kpack writes them (kpack.io/v1alpha2, as kpack's OpenAPI document defines
// them): the Image per app, Builds named <image>-build-<n> with kpack's labels, annotations, tags
// and owner, and the build pod's steps.
import type { KubeObject } from "../kube";
import type { AppConfig, ScenarioConfig } from "../scenario/config";
import { ownerReference } from "./pods";
import type { Seeded } from "./random";

export const KPACK_API = "kpack.io/v1alpha2";
export const BUILD_NAMESPACE = "apps";
export const BUILD_STEPS = ["prepare", "detect", "analyze", "restore", "build", "export"];
export const REBASE_STEPS = ["rebase"];
export const STACK_ID = "io.buildpacks.stacks.jammy";
export const LIFECYCLE_VERSION = "0.20.4";
const REASON_ORDER = ["CONFIG", "COMMIT", "BUILDPACK", "STACK", "LIFECYCLE", "TRIGGER"];

export interface BuildChange {
  reason: string;
  old: unknown;
  new: unknown;
}

export interface Buildpack {
  id: string;
  version: string;
  homepage: string;
}

const NODE: Buildpack[] = [
  {
    id: "paketo-buildpacks/ca-certificates",
    version: "3.8.6",
    homepage: "https://github.com/paketo-buildpacks/ca-certificates",
  },
  {
    id: "paketo-buildpacks/node-engine",
    version: "4.1.12",
    homepage: "https://github.com/paketo-buildpacks/node-engine",
  },
  {
    id: "paketo-buildpacks/npm-install",
    version: "1.5.4",
    homepage: "https://github.com/paketo-buildpacks/npm-install",
  },
  {
    id: "paketo-buildpacks/node-start",
    version: "1.1.9",
    homepage: "https://github.com/paketo-buildpacks/node-start",
  },
];
const GO: Buildpack[] = [
  {
    id: "paketo-buildpacks/ca-certificates",
    version: "3.8.6",
    homepage: "https://github.com/paketo-buildpacks/ca-certificates",
  },
  {
    id: "paketo-buildpacks/go-dist",
    version: "2.7.3",
    homepage: "https://github.com/paketo-buildpacks/go-dist",
  },
  {
    id: "paketo-buildpacks/go-build",
    version: "2.2.6",
    homepage: "https://github.com/paketo-buildpacks/go-build",
  },
];

export function buildpacksFor(app: string): Buildpack[] {
  return app === "search" ? GO : NODE;
}

/** The reasons in kpack's order, comma-separated (pkg/buildchange). */
export function joinReasons(reasons: string[]): string {
  return REASON_ORDER.filter((r) => reasons.includes(r)).join(",");
}

export function imageRepository(cfg: ScenarioConfig, app: string): string {
  return `${cfg.registry}/${cfg.harborProject}/${app}`;
}

export function imageObject(cfg: ScenarioConfig, app: AppConfig): KubeObject {
  return {
    apiVersion: KPACK_API,
    kind: "Image",
    metadata: { name: app.name, namespace: BUILD_NAMESPACE },
    spec: {
      tag: imageRepository(cfg, app.name),
      builder: { kind: "ClusterBuilder", name: "default" },
      serviceAccountName: "kpack-builder",
      source: { git: { url: app.gitUrl, revision: "main" } },
      cache: { volume: { size: "2G" } },
      failedBuildHistoryLimit: 10,
      successBuildHistoryLimit: 10,
    },
  };
}

/** generateTags: the Image's tag, then "<tag>:b<n>.<YYYYMMDD>.<HHMMSS>" ("<tag>-b…" for a named tag). */
export function generateTags(imageTag: string, n: number, at: Date): string[] {
  const iso = at.toISOString();
  const stamp = `b${n}.${iso.slice(0, 10).replace(/-/g, "")}.${iso.slice(11, 19).replace(/:/g, "")}`;
  const slash = imageTag.lastIndexOf("/");
  const colon = imageTag.lastIndexOf(":");
  const hasTag = colon > slash;
  const repo = hasTag ? imageTag.slice(0, colon) : imageTag;
  const tag = hasTag ? imageTag.slice(colon + 1) : "latest";
  return [imageTag, tag === "latest" ? `${repo}:${stamp}` : `${repo}:${tag}-${stamp}`];
}

export interface BuildInput {
  image: KubeObject;
  number: number;
  revision: string;
  reasons: string[];
  changes: BuildChange[];
  at: Date;
  previous?: KubeObject;
  builderImage: string;
}

export function buildObject(input: BuildInput): KubeObject {
  const { image } = input;
  const name = `${image.metadata.name}-build-${input.number}`;
  const spec = image.spec as {
    tag: string;
    builder: { kind: string; name: string };
    serviceAccountName: string;
    source: { git: { url: string } };
  };
  const prevImage = (input.previous?.status as { latestImage?: string } | undefined)?.latestImage;
  return {
    apiVersion: KPACK_API,
    kind: "Build",
    metadata: {
      name,
      namespace: image.metadata.namespace,
      labels: {
        ...image.metadata.labels,
        "image.kpack.io/image": image.metadata.name ?? "",
        "image.kpack.io/buildNumber": String(input.number),
        "image.kpack.io/imageGeneration": String(image.metadata.generation ?? 1),
      },
      annotations: {
        ...image.metadata.annotations,
        "image.kpack.io/reason": joinReasons(input.reasons),
        "image.kpack.io/buildChanges": JSON.stringify(input.changes),
        "image.kpack.io/builderName": spec.builder.name,
        "image.kpack.io/builderKind": spec.builder.kind,
      },
      ownerReferences: [ownerReference(image)],
    },
    spec: {
      tags: generateTags(spec.tag, input.number, input.at),
      builder: { image: input.builderImage },
      serviceAccountName: spec.serviceAccountName,
      source: { git: { url: spec.source.git.url, revision: input.revision } },
      cache: { volume: { persistentVolumeClaimName: `${image.metadata.name}-cache` } },
      resources: {},
      ...(prevImage ? { lastBuild: { image: prevImage, stackId: STACK_ID } } : {}),
    },
  };
}

/** Where kpack's images (builder, lifecycle, run image) live, with seeded digests. */
export function systemImages(cfg: ScenarioConfig, seed: Seeded) {
  const at = (name: string, ...key: (string | number)[]) =>
    `${cfg.registry}/kpack/${name}@${seed.digestOf("system-image", name, ...key)}`;
  return {
    builder: at("builder"),
    lifecycle: at("lifecycle", LIFECYCLE_VERSION),
    completion: at("completion"),
    rebase: at("rebase"),
    runImage: (generation: number) => at("run", generation),
  };
}
