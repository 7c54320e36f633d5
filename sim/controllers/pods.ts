// The Pods behind kpack Builds and Tekton TaskRuns: created owned by their run, container states
// moved along as steps run, logs written where `kubectl logs` (pods/log) reads them.
import type { KubeObject, Store } from "../kube";
import { kubeTime } from "./clock";

export interface ContainerSpec {
  name: string;
  image: string;
}

export interface PodInput {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  owner: KubeObject;
  serviceAccountName: string;
  initContainers: ContainerSpec[];
  containers: ContainerSpec[];
}

export type ContainerState =
  | { waiting: { reason: string } }
  | { running: { startedAt: string } }
  | {
      terminated: {
        exitCode: number;
        reason: string;
        startedAt: string;
        finishedAt: string;
        containerID: string;
      };
    };

export function ownerReference(owner: KubeObject): Record<string, unknown> {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function createPod(store: Store, input: PodInput): KubeObject {
  return store.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: input.name,
      namespace: input.namespace,
      labels: input.labels,
      annotations: input.annotations ?? {},
      ownerReferences: [ownerReference(input.owner)],
    },
    spec: {
      serviceAccountName: input.serviceAccountName,
      restartPolicy: "Never",
      nodeName: "sim-node-1",
      initContainers: input.initContainers.map((c) => ({ ...c, imagePullPolicy: "IfNotPresent" })),
      containers: input.containers.map((c) => ({ ...c, imagePullPolicy: "IfNotPresent" })),
    },
  });
}

export const waiting = (reason = "PodInitializing"): ContainerState => ({ waiting: { reason } });
export const running = (at: Date): ContainerState => ({ running: { startedAt: kubeTime(at) } });
export function terminated(
  started: Date,
  finished: Date,
  exitCode: number,
  id: string,
): ContainerState {
  return {
    terminated: {
      exitCode,
      reason: exitCode === 0 ? "Completed" : "Error",
      startedAt: kubeTime(started),
      finishedAt: kubeTime(finished),
      containerID: `containerd://${id}`,
    },
  };
}

function containerStatus(c: ContainerSpec, state: ContainerState) {
  const digest = c.image.includes("@") ? c.image.split("@")[1] : undefined;
  return {
    name: c.name,
    image: c.image,
    imageID: digest ? `${c.image.split("@")[0]}@${digest}` : c.image,
    ready: "running" in state,
    restartCount: 0,
    started: "running" in state,
    state,
  };
}

/** Writes the Pod's phase and container states through pods/status. */
export function setPodStatus(
  store: Store,
  pod: KubeObject,
  phase: "Pending" | "Running" | "Succeeded" | "Failed",
  states: { init: ContainerState[]; containers: ContainerState[] },
  startTime: Date,
): void {
  const spec = pod.spec as { initContainers: ContainerSpec[]; containers: ContainerSpec[] };
  store.patchStatus("pods", pod.metadata.namespace, pod.metadata.name ?? "", {
    status: {
      phase,
      qosClass: "BestEffort",
      hostIP: "10.0.0.11",
      podIP: "10.244.1.17",
      startTime: kubeTime(startTime),
      conditions: [
        {
          type: "Ready",
          status: phase === "Running" ? "True" : "False",
          lastTransitionTime: kubeTime(startTime),
        },
      ],
      initContainerStatuses: spec.initContainers.map((c, i) =>
        containerStatus(c, states.init[i] ?? waiting()),
      ),
      containerStatuses: spec.containers.map((c, i) =>
        containerStatus(c, states.containers[i] ?? waiting()),
      ),
    },
  });
}
