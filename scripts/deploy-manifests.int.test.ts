// The install manifests as kubectl renders them (kubectl kustomize): deploy/install.yaml is what
// deploy/base renders; every object validates against the Kubernetes API schemas
// (kubernetes-models); Shiplog's pod meets the Pod Security "restricted" profile, control by
// control; the Deployment is wired as the image expects; the multi-cluster overlay mounts its
// kubeconfig; the Argo CD Application validates against Argo CD's Application CRD.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import type { IContainer, IEnvVar } from "kubernetes-models/v1";
import { loadConfig, parseContexts, requireAuthConfig, requireServerConfig } from "@/lib/config";
import { kustomize, renderInstall } from "./lib/kustomize";
import { findManifest, INSTALL_YAML, parseManifests, root, type Manifest } from "./lib/manifests";
import { RESTRICTED_CONTROLS, type PodTemplate } from "./lib/pod-security";

/** Validates one object with the kubernetes-models class of its apiVersion and kind. */
async function validate(doc: Manifest): Promise<void> {
  const groupVersion = doc.apiVersion;
  const models = (await import(`kubernetes-models/${groupVersion}`)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const Model = models[doc.kind];
  if (!Model) throw new Error(`kubernetes-models has no ${doc.kind} in ${groupVersion}`);
  new Model(doc).validate();
}

let base: Manifest[];
let multiCluster: Manifest[];
let watched: Manifest[];
beforeAll(async () => {
  [base, multiCluster, watched] = await Promise.all(
    ["deploy/base", "deploy/overlays/multi-cluster", "deploy/watched-cluster"].map(async (dir) =>
      parseManifests(await kustomize(dir)),
    ),
  );
});

const podOf = (docs: Manifest[]): PodTemplate =>
  (findManifest(docs, "Deployment", "shiplog").spec as { template: PodTemplate }).template;
const containersOf = (pod: PodTemplate): IContainer[] => [
  ...(pod.spec.initContainers ?? []),
  ...pod.spec.containers,
];
const server = (pod: PodTemplate) => pod.spec.containers.find((c) => c.name === "shiplog")!;

describe("deploy/install.yaml", () => {
  it("is what deploy/base renders (npm run deploy:render writes it)", async () => {
    expect(readFileSync(INSTALL_YAML, "utf8")).toBe(await renderInstall());
  });

  it("installs the Namespace, RBAC, Deployment, Service and PodDisruptionBudget", () => {
    const kinds = parseManifests(readFileSync(INSTALL_YAML, "utf8")).map((d) => d.kind);
    expect(kinds.sort()).toEqual(
      [
        "ClusterRole",
        "ClusterRoleBinding",
        "ConfigMap",
        "Deployment",
        "Namespace",
        "PodDisruptionBudget",
        "Service",
        "ServiceAccount",
      ].sort(),
    );
  });
});

describe("the Kubernetes API schemas", () => {
  it("accept every object of deploy/base, the multi-cluster overlay and deploy/watched-cluster", async () => {
    const all = [...base, ...multiCluster, ...watched];
    expect(all.length).toBeGreaterThan(10);
    for (const doc of all)
      await expect(validate(doc), `${doc.kind} ${doc.metadata.name}`).resolves.toBeUndefined();
  });

  it("refuse a Deployment that is wrong (the validation can fail)", async () => {
    const deployment = structuredClone(findManifest(base, "Deployment", "shiplog"));
    (deployment.spec as { replicas: unknown }).replicas = "two";
    await expect(validate(deployment)).rejects.toThrow(/replicas must be integer/);
    const noPort = structuredClone(findManifest(base, "Deployment", "shiplog"));
    delete (server(podOf([noPort])).livenessProbe!.httpGet as { port?: unknown }).port;
    await expect(validate(noPort)).rejects.toThrow(
      /livenessProbe\/httpGet must have required property port/,
    );
  });
});

describe("Pod Security Standards, restricted: Shiplog's pod template", () => {
  describe.each([
    ["deploy/base", () => base],
    ["deploy/overlays/multi-cluster", () => multiCluster],
  ])("%s", (_name, docs) => {
    it.each(RESTRICTED_CONTROLS.map((c) => [c.name, c] as const))(
      "meets %s",
      (_control, control) => {
        expect(control.check(podOf(docs()))).toEqual([]);
      },
    );
  });

  it("lives in a Namespace that enforces the restricted profile", () => {
    expect(findManifest(base, "Namespace", "shiplog").metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
    });
  });
});

describe("Shiplog's Deployment", () => {
  it("runs two replicas as uid/gid 10001 on a read-only root with an emptyDir at /tmp", () => {
    const deployment = findManifest(base, "Deployment", "shiplog");
    expect((deployment.spec as { replicas: number }).replicas).toBe(2);
    const pod = podOf(base);
    expect(pod.spec.securityContext).toMatchObject({ runAsUser: 10001, runAsGroup: 10001 });
    expect(pod.spec.volumes).toContainEqual(
      expect.objectContaining({ name: "tmp", emptyDir: expect.anything() }),
    );
    for (const container of containersOf(pod)) {
      expect(container.securityContext?.readOnlyRootFilesystem, container.name).toBe(true);
      expect(container.volumeMounts, container.name).toContainEqual({
        name: "tmp",
        mountPath: "/tmp",
      });
    }
  });

  it("migrates in an init container before the server starts, on the same image", () => {
    const pod = podOf(base);
    const [migrate] = pod.spec.initContainers ?? [];
    expect(migrate.command).toEqual(["node", "migrate.js"]);
    expect(server(pod).command).toEqual(["node", "server.js"]);
    expect(migrate.image).toBe("ghcr.io/shiplog/shiplog:0.1.0");
    expect(server(pod).image).toBe(migrate.image);
  });

  it("probes /api/healthz for liveness and /api/readyz for readiness on port 3000", () => {
    const container = server(podOf(base));
    expect(container.ports).toContainEqual(
      expect.objectContaining({ name: "http", containerPort: 3000 }),
    );
    expect(container.livenessProbe?.httpGet).toEqual({ path: "/api/healthz", port: "http" });
    expect(container.readinessProbe?.httpGet).toEqual({ path: "/api/readyz", port: "http" });
  });

  it("sets resource requests and limits on every container", () => {
    for (const container of containersOf(podOf(base))) {
      expect(container.resources?.requests, container.name).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container.resources?.limits?.memory, container.name).toEqual(expect.any(String));
    }
  });

  it("takes every secret from a Secret, never an inline value, and installs no Secret itself", () => {
    const secret = [
      "DATABASE_URL",
      "AUTH_SECRET",
      "AUTH_OIDC_CLIENT_SECRET",
      "HARBOR_WEBHOOK_SECRET",
      "GIT_WEBHOOK_SECRET",
    ];
    const env = new Map((server(podOf(base)).env ?? []).map((e: IEnvVar) => [e.name, e]));
    for (const name of secret) {
      expect(env.get(name)?.value, name).toBeUndefined();
      expect(env.get(name)?.valueFrom?.secretKeyRef?.name, name).toMatch(/^shiplog-/);
    }
    expect(server(podOf(base)).envFrom).toContainEqual({
      secretRef: { name: "shiplog-harbor", optional: true },
    });
    expect(base.filter((d) => d.kind === "Secret")).toEqual([]);
  });

  it("is configured so that lib/config accepts it as a production server with single sign-on", () => {
    const config = findManifest(
      base,
      "ConfigMap",
      base.find((d) => d.kind === "ConfigMap")!.metadata.name,
    );
    const env: Record<string, string> = { ...(config.data as Record<string, string>) };
    for (const e of server(podOf(base)).env ?? []) {
      if (e.value !== undefined) env[e.name] = e.value;
      const ref = e.valueFrom?.secretKeyRef;
      // What `kubectl create secret` gives each key (README, "Install in a cluster").
      if (ref && !ref.optional)
        env[e.name] = {
          url: "postgres://shiplog@postgres.example.com/shiplog",
          secret: "x".repeat(32),
          issuer: "https://sso.example.com",
          "client-id": "shiplog",
          "client-secret": "s3cret",
        }[ref.key]!;
    }
    const loaded = requireAuthConfig(requireServerConfig(loadConfig(env)));
    expect(loaded.nodeEnv).toBe("production");
    expect(loaded.port).toBe(3000);
    expect(loaded.auth.oidc?.issuer).toBe("https://sso.example.com");
    expect(loaded.contexts).toEqual([{ context: "inClusterContext", environment: "production" }]);
  });
});

describe("deploy/overlays/multi-cluster", () => {
  it("mounts the kubeconfig Secret read-only where KUBECONFIG points", () => {
    const pod = podOf(multiCluster);
    const config = multiCluster.find((d) => d.kind === "ConfigMap")!.data as Record<string, string>;
    const mount = server(pod).volumeMounts?.find((m) => m.name === "kubeconfig");
    expect(mount).toMatchObject({ readOnly: true });
    expect(path.posix.dirname(config.KUBECONFIG)).toBe(mount!.mountPath);
    expect(pod.spec.volumes).toContainEqual(
      expect.objectContaining({
        name: "kubeconfig",
        secret: expect.objectContaining({ secretName: "shiplog-kubeconfig" }),
      }),
    );
  });

  it("watches contexts its example kubeconfig has", () => {
    const config = multiCluster.find((d) => d.kind === "ConfigMap")!.data as Record<string, string>;
    const example = parse(
      readFileSync(path.join(root, "deploy/overlays/multi-cluster/kubeconfig.example"), "utf8"),
    ) as { contexts: { name: string }[] };
    const contexts = parseContexts(config.SHIPLOG_CONTEXTS.split(","));
    expect(contexts.length).toBeGreaterThan(1);
    for (const { context } of contexts)
      expect(example.contexts.map((c) => c.name)).toContain(context);
  });

  it("adds the Ingress, pointing at the Service's port", () => {
    const ingress = findManifest(multiCluster, "Ingress", "shiplog");
    const backend = (
      ingress.spec as {
        rules: {
          http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] };
        }[];
      }
    ).rules[0].http.paths[0].backend.service;
    const service = findManifest(multiCluster, "Service", backend.name);
    expect((service.spec as { ports: { name: string }[] }).ports.map((p) => p.name)).toContain(
      backend.port.name,
    );
  });
});

describe("deploy/argocd/application.yaml", () => {
  const crd = parse(
    readFileSync(path.join(root, "test/fixtures/argocd/application-crd.yaml"), "utf8"),
  ) as { spec: { versions: { name: string; schema: { openAPIV3Schema: object } }[] } };
  const schema = crd.spec.versions.find((v) => v.name === "v1alpha1")!.schema.openAPIV3Schema;
  const check = new Ajv({ strict: false, allErrors: true }).compile(schema);
  const application = parse(
    readFileSync(path.join(root, "deploy/argocd/application.yaml"), "utf8"),
  ) as {
    apiVersion: string;
    kind: string;
    spec: { source: { path: string }; destination: object };
  };

  it("validates against Argo CD's Application CRD", () => {
    expect(application.apiVersion).toBe("argoproj.io/v1alpha1");
    expect(application.kind).toBe("Application");
    expect(check(application), JSON.stringify(check.errors)).toBe(true);
  });

  it("would be refused by the CRD without a destination (the validation can fail)", () => {
    const broken = structuredClone(application) as { spec: Record<string, unknown> };
    delete broken.spec.destination;
    expect(check(broken)).toBe(false);
    expect(check.errors?.map((e) => e.message)).toContain(
      "must have required property 'destination'",
    );
  });

  it("deploys Shiplog from this repository's deploy/base", () => {
    expect(application.spec.source.path).toBe("deploy/base");
    expect(existsSync(path.join(root, application.spec.source.path, "kustomization.yaml"))).toBe(
      true,
    );
  });
});
