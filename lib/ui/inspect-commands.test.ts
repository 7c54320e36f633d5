import { describe, expect, it } from "vitest";
import { inspectCommands, kpackImageName, shellWord } from "./inspect-commands";

const DIGEST = "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270";

describe("inspectCommands", () => {
  it("gives a PipelineRun's YAML and logs in its cluster", () => {
    expect(
      inspectCommands({
        stage: "pipeline",
        cluster: "staging",
        resource: { system: "tekton", kind: "PipelineRun", namespace: "ci", name: "promote-x7k2p" },
      }),
    ).toEqual([
      {
        label: "PipelineRun YAML",
        command: "kubectl --context staging -n ci get pipelinerun promote-x7k2p -o yaml",
      },
      { label: "Logs", command: "tkn pr logs promote-x7k2p -n ci --context staging" },
    ]);
  });

  it("leaves --context out when the cluster is not known", () => {
    const [yaml, logs] = inspectCommands({
      stage: "verify",
      cluster: null,
      resource: { system: "tekton", kind: "PipelineRun", namespace: "ci", name: "e2e-4kq" },
    });
    expect(yaml.command).toBe("kubectl -n ci get pipelinerun e2e-4kq -o yaml");
    expect(logs.command).toBe("tkn pr logs e2e-4kq -n ci");
  });

  it("gives kp build logs of the kpack Image with the build number", () => {
    expect(
      inspectCommands({
        stage: "build",
        cluster: "staging",
        resource: { system: "kpack", kind: "Build", namespace: "apps", name: "payments-build-7" },
        details: { buildNumber: 7, image: "harbor.shiplog.test/shop/payments" },
      }),
    ).toEqual([
      { label: "Build logs", command: "kp build logs payments -b 7 -n apps" },
      {
        label: "Build YAML",
        command: "kubectl --context staging -n apps get build payments-build-7 -o yaml",
      },
    ]);
  });

  it("gives argocd app get and the Application's YAML", () => {
    expect(
      inspectCommands({
        stage: "deploy",
        cluster: "production",
        resource: {
          system: "argocd",
          kind: "Application",
          namespace: "argocd",
          name: "payments-production",
        },
      }).map((c) => c.command),
    ).toEqual([
      "argocd app get payments-production",
      "kubectl --context production -n argocd get application payments-production -o yaml",
    ]);
  });

  it("gives an approval gate's CustomRun", () => {
    expect(
      inspectCommands({
        stage: "approval",
        cluster: "production",
        resource: { system: "tekton", kind: "CustomRun", namespace: "ci", name: "pr-approve" },
      })[0].command,
    ).toBe("kubectl --context production -n ci get customrun pr-approve -o yaml");
  });

  it("reads a Harbor scan through the API, nested repositories double-encoded", () => {
    const [scan] = inspectCommands({
      stage: "scan",
      cluster: null,
      resource: {
        system: "harbor",
        kind: "Scan",
        namespace: "shop",
        name: `shop/team/payments@${DIGEST}`,
      },
    });
    expect(scan.command).toBe(
      `curl -su "$HARBOR_USERNAME:$HARBOR_PASSWORD" "$HARBOR_URL/api/v2.0/projects/shop/repositories/team%252Fpayments/artifacts/${DIGEST}?with_scan_overview=true"`,
    );
  });

  it("shows the commit for the source stage and nothing for an unknown kind", () => {
    expect(inspectCommands({ stage: "source", cluster: null, resource: null }, "abc1234")).toEqual([
      { label: "Commit", command: "git show abc1234" },
    ]);
    expect(
      inspectCommands({
        stage: "build",
        cluster: null,
        resource: { system: "kpack", kind: "Image", namespace: "apps", name: "payments" },
      }),
    ).toEqual([]);
  });
});

describe("helpers", () => {
  it("derives the kpack Image from a Build name", () => {
    expect(kpackImageName("payments-build-12")).toBe("payments");
    expect(kpackImageName("my-app-build-3-abcde")).toBe("my-app");
    expect(kpackImageName("payments")).toBeNull();
  });

  it("quotes only words that need it", () => {
    expect(shellWord("promote-x7k2p")).toBe("promote-x7k2p");
    expect(shellWord("it's here")).toBe(`'it'\\''s here'`);
  });
});
