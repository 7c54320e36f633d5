// What the leader replica runs against the clusters: the watchers, and the two that follow them —
// the step-log keeper (what they stored) and the gate controller (every object they see) — so that
// each kind is watched once per cluster. A replica that becomes leader starts all three; the
// watchers' first list gives the other two every object there is.
import { startGateController, type GateController } from "../gates/controller";
import type { Gate } from "../gates/store";
import { startStepLogKeeper } from "./step-logs";
import { startWatchers, type WatcherOptions, type Watchers } from "./watchers";

type Logger = Parameters<typeof startWatchers>[0]["log"] &
  Parameters<typeof startGateController>[0]["log"];

/** The watchers' own options (`batchMs`: their batching delay), and the gate controller's. */
export type ClusterWorkOptions = Pick<
  WatcherOptions,
  "clusters" | "namespaces" | "sources" | "pool" | "batchMs"
> & {
  log: Logger;
  /** The gate controller's retry and expiry poll (default its own). */
  gateTickMs?: number;
  /** Told when a gate opens (the optional chat notification). */
  onGateOpen?: (gate: Gate) => void;
};

export type ClusterWork = { watchers: Watchers; gates: GateController; stop(): Promise<void> };

export function startClusterWork(options: ClusterWorkOptions): ClusterWork {
  const { clusters, pool, log } = options;
  const stepLogs = startStepLogKeeper({ clusters, pool, log });
  const gates = startGateController({
    clusters,
    pool,
    log,
    tickMs: options.gateTickMs,
    onOpen: options.onGateOpen,
  });
  const watchers = startWatchers({
    clusters,
    namespaces: options.namespaces,
    sources: options.sources,
    pool,
    log,
    batchMs: options.batchMs,
    onStored: (batch) => stepLogs.observe(batch),
    onObject: (seen) => gates.observe([seen]),
  });
  return {
    watchers,
    gates,
    async stop() {
      await watchers.stop();
      await Promise.all([stepLogs.stop(), gates.stop()]);
    },
  };
}
