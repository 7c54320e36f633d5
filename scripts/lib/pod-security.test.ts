// Each restricted control of the Pod Security Standards fails on a pod that breaks it and passes
// on one that meets the whole profile.
import { describe, expect, it } from "vitest";
import type { IPodSpec } from "kubernetes-models/v1";
import { RESTRICTED_CONTROLS, type PodTemplate } from "./pod-security";

function compliant(): PodTemplate {
  return {
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        {
          name: "app",
          image: "app:1",
          ports: [{ containerPort: 3000 }],
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
          },
        },
      ],
      volumes: [{ name: "tmp", emptyDir: {} }],
    },
  };
}

/** The compliant pod with its container's securityContext (or the pod's spec) changed. */
function breaking(change: (spec: IPodSpec) => void): PodTemplate {
  const pod = compliant();
  change(pod.spec);
  return pod;
}

const app = (spec: IPodSpec) => spec.containers[0];

const violations: Record<string, PodTemplate> = {
  HostProcess: breaking((s) => {
    app(s).securityContext!.windowsOptions = { hostProcess: true };
  }),
  "Host Namespaces": breaking((s) => {
    s.hostPID = true;
  }),
  "Privileged Containers": breaking((s) => {
    app(s).securityContext!.privileged = true;
  }),
  "Capabilities (baseline)": breaking((s) => {
    app(s).securityContext!.capabilities!.add = ["SYS_ADMIN"];
  }),
  "HostPath Volumes": breaking((s) => {
    s.volumes!.push({ name: "docker", hostPath: { path: "/var/run/docker.sock" } });
  }),
  "Host Ports": breaking((s) => {
    app(s).ports = [{ containerPort: 3000, hostPort: 3000 }];
  }),
  AppArmor: {
    ...compliant(),
    metadata: {
      annotations: { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" },
    },
  },
  SELinux: breaking((s) => {
    app(s).securityContext!.seLinuxOptions = { type: "spc_t" };
  }),
  "/proc Mount Type": breaking((s) => {
    app(s).securityContext!.procMount = "Unmasked";
  }),
  "Seccomp (baseline)": breaking((s) => {
    app(s).securityContext!.seccompProfile = { type: "Unconfined" };
  }),
  Sysctls: breaking((s) => {
    s.securityContext!.sysctls = [{ name: "kernel.msgmax", value: "65536" }];
  }),
  "Volume Types": breaking((s) => {
    s.volumes!.push({ name: "share", nfs: { server: "nfs.example.com", path: "/" } });
  }),
  "Privilege Escalation": breaking((s) => {
    delete app(s).securityContext!.allowPrivilegeEscalation;
  }),
  "Running as Non-root": breaking((s) => {
    delete s.securityContext!.runAsNonRoot;
  }),
  "Running as Non-root user": breaking((s) => {
    app(s).securityContext!.runAsUser = 0;
  }),
  Seccomp: breaking((s) => {
    delete s.securityContext!.seccompProfile;
  }),
  Capabilities: breaking((s) => {
    app(s).securityContext!.capabilities = { drop: ["NET_RAW"] };
  }),
};

describe("Pod Security Standards, restricted", () => {
  it("has a check for each control of the standard's Baseline and Restricted lists", () => {
    expect(RESTRICTED_CONTROLS.map((c) => c.name).sort()).toEqual(Object.keys(violations).sort());
  });

  describe.each(RESTRICTED_CONTROLS)("$name", (control) => {
    it("passes a pod that meets the profile", () => {
      expect(control.check(compliant())).toEqual([]);
    });

    it("fails a pod that breaks it, naming where", () => {
      const problems = control.check(violations[control.name]);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.join("\n")).toMatch(/spec\.|volume|annotation|sysctl/);
    });
  });

  it("checks init containers too", () => {
    const pod = compliant();
    pod.spec.initContainers = [{ name: "migrate", image: "app:1" }];
    const escalation = RESTRICTED_CONTROLS.find((c) => c.name === "Privilege Escalation")!;
    expect(escalation.check(pod)).toEqual([
      "spec.initContainers[migrate].securityContext.allowPrivilegeEscalation is not false",
    ]);
  });

  it("accepts runAsNonRoot and seccomp set on each container instead of the pod", () => {
    const pod = breaking((s) => {
      delete s.securityContext;
      app(s).securityContext!.runAsNonRoot = true;
      app(s).securityContext!.seccompProfile = { type: "Localhost", localhostProfile: "p.json" };
    });
    for (const control of RESTRICTED_CONTROLS) expect(control.check(pod), control.name).toEqual([]);
  });
});
