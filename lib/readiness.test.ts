// The watchers' readiness check, as a replica reports its part in the leader election: a replica
// that does not lead is ready (it serves pages, the API and live events) and says why it does not.
import { describe, expect, it } from "vitest";
import { checkWatchers } from "./readiness";
import type { IngestStatus } from "./ingest/runtime";

const now = 1_000_000;

function status(
  leadership: Extract<IngestStatus, { configured: true }>["leadership"],
  watchers: Extract<IngestStatus, { configured: true }>["watchers"] = [],
): IngestStatus {
  return {
    configured: true,
    clusters: ["staging"],
    leader: leadership.role === "leader",
    leadership,
    watchers,
    harbor: null,
  };
}

describe("checkWatchers", () => {
  it("tells a follower from a replica that cannot take the lock yet", () => {
    expect(checkWatchers(status({ role: "follower", since: now, reason: null }), now)).toEqual({
      ok: true,
      detail: "another replica runs the watchers",
    });
    expect(
      checkWatchers(
        status({ role: "electing", since: now, reason: "Error: connect ECONNREFUSED" }),
        now,
      ),
    ).toEqual({
      ok: true,
      detail: "taking the watcher lock (last try: Error: connect ECONNREFUSED)",
    });
  });

  it("fails a leader whose watch has failed for over a minute", () => {
    const watch = { cluster: "staging", kind: "Build", namespace: "*", state: "backing-off" };
    const leading = { role: "leader" as const, since: now, reason: null };
    expect(checkWatchers(status(leading, [{ ...watch, failingSince: now - 61_000 }]), now)).toEqual(
      { ok: false, detail: "failing: staging/Build" },
    );
    expect(checkWatchers(status(leading, [{ ...watch, failingSince: now - 5_000 }]), now)).toEqual({
      ok: true,
      detail: "1 watches in 1 clusters",
    });
  });
});
