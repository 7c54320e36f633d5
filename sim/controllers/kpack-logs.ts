// What each kpack build step prints (lifecycle's phases), for the build pod's container logs.
import { buildpacksFor, type BuildChange } from "./kpack-objects";

export interface BuildLogInput {
  app: string;
  gitUrl: string;
  revision: string;
  reasons: string;
  changes: BuildChange[];
  tags: string[];
  digest: string;
  runImage: string;
}

export function stepLog(step: string, b: BuildLogInput): string {
  const packs = buildpacksFor(b.app);
  switch (step) {
    case "prepare":
      return [
        `Build reason(s): ${b.reasons}`,
        ...b.changes.flatMap((c) => [
          `${c.reason}:`,
          `- ${typeof c.old === "string" ? c.old : JSON.stringify(c.old)}`,
          `+ ${typeof c.new === "string" ? c.new : JSON.stringify(c.new)}`,
        ]),
        `Loading secret for "https://gitlab.example.com" from secret "gitlab-credentials" at location "/var/build-secrets/gitlab-credentials"`,
        `Cloning "${b.gitUrl}" @ "${b.revision}"...`,
        `Successfully cloned "${b.gitUrl}" @ "${b.revision}" in path "/workspace"`,
      ].join("\n");
    case "detect":
      return [
        "===> DETECTING",
        `${packs.length} of ${packs.length + 17} buildpacks participating`,
        ...packs.map((p) => `${p.id} ${p.version}`),
      ].join("\n");
    case "analyze":
      return ["===> ANALYZING", `Restoring data for SBOM from previous image`].join("\n");
    case "restore":
      return [
        "===> RESTORING",
        ...packs.map((p) => `Restoring metadata for "${p.id}:cache" from cache`),
      ].join("\n");
    case "build":
      return [
        "===> BUILDING",
        "",
        ...packs.flatMap((p) => [
          `Paketo Buildpack for ${p.id.split("/")[1]} ${p.version}`,
          "  Resolving and installing dependencies",
          "    Completed in 1.42s",
          "",
        ]),
      ].join("\n");
    case "export":
      return [
        "===> EXPORTING",
        ...packs.map((p) => `Reusing layer '${p.id}:helper'`),
        "Adding layer 'buildpacksio/lifecycle:launch.sbom'",
        "Adding 1/1 app layer(s)",
        "Reusing layer 'buildpacksio/lifecycle:launcher'",
        "Adding label 'io.buildpacks.lifecycle.metadata'",
        "Adding label 'io.buildpacks.build.metadata'",
        "Adding label 'io.buildpacks.project.metadata'",
        `Adding label 'org.opencontainers.image.revision'`,
        "Setting default process type 'web'",
        "Saving " + b.tags[0] + "...",
        `*** Images (${b.digest}):`,
        ...b.tags.map((t) => `      ${t}`),
        "Adding cache layer 'paketo-buildpacks/node-engine:node'",
      ].join("\n");
    case "rebase":
      return [
        `Rebasing ${b.tags[0]} on run image ${b.runImage}`,
        `*** Images (${b.digest}):`,
        ...b.tags.map((t) => `      ${t}`),
      ].join("\n");
    case "completion":
      return "Build successful";
    default:
      return "";
  }
}

/** The failing step's output and its exit code (lifecycle exits 20 on failed detection, 51 on a failed build). */
export function failureLog(step: string, app: string): { text: string; exitCode: number } {
  if (step === "detect") {
    return {
      text: [
        "===> DETECTING",
        "ERROR: No buildpack groups passed detection.",
        "ERROR: Please check that you are running against the correct path.",
        "ERROR: failed to detect: no buildpacks participating",
      ].join("\n"),
      exitCode: 20,
    };
  }
  const go = app === "search";
  return {
    text: [
      "===> BUILDING",
      "",
      go ? "Paketo Buildpack for Go Build 2.2.6" : "Paketo Buildpack for NPM Install 1.5.4",
      go ? "  Executing build process" : "  Executing build process",
      go
        ? "    internal/rank/boost.go:42:9: undefined: stockWeight"
        : "    npm ERR! code ERESOLVE\n    npm ERR! ERESOLVE unable to resolve dependency tree",
      go ? "failed to execute: go build failed:" : "failed to execute: npm install failed:",
      "  exit status 1",
      "ERROR: failed to build: exit status 1",
    ].join("\n"),
    exitCode: 51,
  };
}
