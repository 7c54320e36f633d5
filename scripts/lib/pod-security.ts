// The Pod Security Standards' "restricted" profile as checks on a pod template, one per control of
// the standard's list (kubernetes.io/docs/concepts/security/pod-security-standards): the Baseline
// controls, which Restricted includes, then Restricted's own. Each check names what breaks it; an
// empty list means the pod meets that control. Pure.
import type { IContainer, IPodSpec } from "kubernetes-models/v1";

export type PodTemplate = {
  metadata?: { annotations?: Record<string, string> };
  spec: IPodSpec;
};

export type Control = {
  /** The control's name in the standard. */
  name: string;
  profile: "baseline" | "restricted";
  /** What in the pod breaks the control (empty: it meets it). */
  check(pod: PodTemplate): string[];
};

type Named = { where: string; container: IContainer };

/** containers, initContainers and ephemeralContainers, each with the path the standard uses. */
function allContainers(spec: IPodSpec): Named[] {
  const lists: Array<[string, IContainer[] | undefined]> = [
    ["containers", spec.containers],
    ["initContainers", spec.initContainers],
    ["ephemeralContainers", spec.ephemeralContainers as IContainer[] | undefined],
  ];
  return lists.flatMap(([field, list]) =>
    (list ?? []).map((container) => ({
      where: `spec.${field}[${container.name}]`,
      container,
    })),
  );
}

const BASELINE_CAPABILITIES = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
];

const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];

const RESTRICTED_VOLUME_TYPES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
];

const SELINUX_TYPES = [
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
];

export const RESTRICTED_CONTROLS: Control[] = [
  {
    name: "HostProcess",
    profile: "baseline",
    check: ({ spec }) =>
      [
        spec.securityContext?.windowsOptions?.hostProcess ? "spec.securityContext" : null,
        ...allContainers(spec).map(({ where, container }) =>
          container.securityContext?.windowsOptions?.hostProcess ? where : null,
        ),
      ]
        .filter((w): w is string => w !== null)
        .map((w) => `${w}.windowsOptions.hostProcess is true`),
  },
  {
    name: "Host Namespaces",
    profile: "baseline",
    check: ({ spec }) =>
      (["hostNetwork", "hostPID", "hostIPC"] as const)
        .filter((field) => spec[field] === true)
        .map((field) => `spec.${field} is true`),
  },
  {
    name: "Privileged Containers",
    profile: "baseline",
    check: ({ spec }) =>
      allContainers(spec)
        .filter(({ container }) => container.securityContext?.privileged === true)
        .map(({ where }) => `${where}.securityContext.privileged is true`),
  },
  {
    name: "Capabilities (baseline)",
    profile: "baseline",
    check: ({ spec }) =>
      allContainers(spec).flatMap(({ where, container }) =>
        (container.securityContext?.capabilities?.add ?? [])
          .filter((cap) => !BASELINE_CAPABILITIES.includes(cap))
          .map((cap) => `${where} adds capability ${cap}`),
      ),
  },
  {
    name: "HostPath Volumes",
    profile: "baseline",
    check: ({ spec }) =>
      (spec.volumes ?? [])
        .filter((volume) => volume.hostPath !== undefined)
        .map((volume) => `volume ${volume.name} is a hostPath`),
  },
  {
    name: "Host Ports",
    profile: "baseline",
    check: ({ spec }) =>
      allContainers(spec).flatMap(({ where, container }) =>
        (container.ports ?? [])
          .filter((port) => port.hostPort !== undefined && port.hostPort !== 0)
          .map((port) => `${where} uses hostPort ${port.hostPort}`),
      ),
  },
  {
    name: "AppArmor",
    profile: "baseline",
    check: ({ spec, metadata }) => {
      const allowed = (type: string | undefined) =>
        type === undefined || type === "RuntimeDefault" || type === "Localhost";
      const problems: string[] = [];
      if (!allowed(spec.securityContext?.appArmorProfile?.type))
        problems.push(
          "spec.securityContext.appArmorProfile.type is not RuntimeDefault or Localhost",
        );
      for (const { where, container } of allContainers(spec))
        if (!allowed(container.securityContext?.appArmorProfile?.type))
          problems.push(
            `${where}.securityContext.appArmorProfile.type is not RuntimeDefault or Localhost`,
          );
      for (const [key, value] of Object.entries(metadata?.annotations ?? {}))
        if (
          key.startsWith("container.apparmor.security.beta.kubernetes.io/") &&
          value !== "runtime/default" &&
          !value.startsWith("localhost/")
        )
          problems.push(`annotation ${key} is ${value}`);
      return problems;
    },
  },
  {
    name: "SELinux",
    profile: "baseline",
    check: ({ spec }) => {
      const contexts = [
        { where: "spec.securityContext", options: spec.securityContext?.seLinuxOptions },
        ...allContainers(spec).map(({ where, container }) => ({
          where: `${where}.securityContext`,
          options: container.securityContext?.seLinuxOptions,
        })),
      ];
      return contexts.flatMap(({ where, options }) => [
        ...(options?.type !== undefined && !SELINUX_TYPES.includes(options.type)
          ? [`${where}.seLinuxOptions.type is ${options.type}`]
          : []),
        ...(options?.user ? [`${where}.seLinuxOptions.user is set`] : []),
        ...(options?.role ? [`${where}.seLinuxOptions.role is set`] : []),
      ]);
    },
  },
  {
    name: "/proc Mount Type",
    profile: "baseline",
    check: ({ spec }) =>
      allContainers(spec)
        .filter(({ container }) => {
          const mount = container.securityContext?.procMount;
          return mount !== undefined && mount !== "Default";
        })
        .map(({ where }) => `${where}.securityContext.procMount is not Default`),
  },
  {
    name: "Seccomp (baseline)",
    profile: "baseline",
    check: ({ spec }) =>
      [
        spec.securityContext?.seccompProfile?.type === "Unconfined" ? "spec.securityContext" : null,
        ...allContainers(spec).map(({ where, container }) =>
          container.securityContext?.seccompProfile?.type === "Unconfined"
            ? `${where}.securityContext`
            : null,
        ),
      ]
        .filter((w): w is string => w !== null)
        .map((w) => `${w}.seccompProfile.type is Unconfined`),
  },
  {
    name: "Sysctls",
    profile: "baseline",
    check: ({ spec }) =>
      (spec.securityContext?.sysctls ?? [])
        .filter((sysctl) => !SAFE_SYSCTLS.includes(sysctl.name))
        .map((sysctl) => `sysctl ${sysctl.name} is not in the safe set`),
  },
  {
    name: "Volume Types",
    profile: "restricted",
    check: ({ spec }) =>
      (spec.volumes ?? []).flatMap((volume) => {
        const types = Object.keys(volume).filter((key) => key !== "name");
        return types
          .filter((type) => !RESTRICTED_VOLUME_TYPES.includes(type))
          .map((type) => `volume ${volume.name} is of type ${type}`);
      }),
  },
  {
    name: "Privilege Escalation",
    profile: "restricted",
    check: ({ spec }) =>
      allContainers(spec)
        .filter(({ container }) => container.securityContext?.allowPrivilegeEscalation !== false)
        .map(({ where }) => `${where}.securityContext.allowPrivilegeEscalation is not false`),
  },
  {
    name: "Running as Non-root",
    profile: "restricted",
    check: ({ spec }) => {
      const podLevel = spec.securityContext?.runAsNonRoot;
      return allContainers(spec)
        .filter(({ container }) => {
          const own = container.securityContext?.runAsNonRoot;
          return own === false || (own === undefined && podLevel !== true);
        })
        .map(({ where }) => `${where} may run as root (runAsNonRoot is not true)`);
    },
  },
  {
    name: "Running as Non-root user",
    profile: "restricted",
    check: ({ spec }) =>
      [
        spec.securityContext?.runAsUser === 0 ? "spec.securityContext" : null,
        ...allContainers(spec).map(({ where, container }) =>
          container.securityContext?.runAsUser === 0 ? `${where}.securityContext` : null,
        ),
      ]
        .filter((w): w is string => w !== null)
        .map((w) => `${w}.runAsUser is 0`),
  },
  {
    name: "Seccomp",
    profile: "restricted",
    check: ({ spec }) => {
      const ok = (type: string | undefined) => type === "RuntimeDefault" || type === "Localhost";
      const podType = spec.securityContext?.seccompProfile?.type;
      const problems: string[] = [];
      if (podType !== undefined && !ok(podType))
        problems.push(`spec.securityContext.seccompProfile.type is ${podType}`);
      for (const { where, container } of allContainers(spec)) {
        const own = container.securityContext?.seccompProfile?.type;
        if (own !== undefined ? !ok(own) : !ok(podType))
          problems.push(`${where} has no RuntimeDefault or Localhost seccomp profile`);
      }
      return problems;
    },
  },
  {
    name: "Capabilities",
    profile: "restricted",
    check: ({ spec }) =>
      allContainers(spec).flatMap(({ where, container }) => {
        const caps = container.securityContext?.capabilities;
        return [
          ...(caps?.drop?.includes("ALL") ? [] : [`${where} does not drop ALL capabilities`]),
          ...(caps?.add ?? [])
            .filter((cap) => cap !== "NET_BIND_SERVICE")
            .map((cap) => `${where} adds capability ${cap}`),
        ];
      }),
  },
];
