// Events become visible in id order, so the hub, which reads after the last id it has seen, loses
// none: two replicas announce gate decisions at once, the first transaction to insert commits last.
import { afterAll, describe, expect, it } from "vitest";
import { databasePerFile } from "@/test/database";
import { announceGate, type GateRecord } from "../gates/store";
import { createHub, type StoredEvent } from "../realtime/hub";
import { transaction } from "./pool";

const db = databasePerFile(6);
const quiet = { warn: () => {} };
let closeHub: () => Promise<void> = async () => {};
afterAll(() => closeHub());

const gate = (id: string) => ({ id, app: null, sha: null }) as unknown as GateRecord;

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("writing events", () => {
  it("delivers an event whose transaction commits after a later one started", async () => {
    const hub = createHub(db.pool, quiet, { retryMs: 100 });
    closeHub = () => hub.close();
    const seen: StoredEvent[] = [];
    const off = await hub.subscribe(null, (event) => seen.push(event));
    let commitFirst: () => void = () => {};
    const held = new Promise<void>((resolve) => (commitFirst = resolve));
    let inserted: () => void = () => {};
    const firstInserted = new Promise<void>((resolve) => (inserted = resolve));
    const first = transaction(db.pool, async (client) => {
      await announceGate(client, gate("first"), "approved");
      inserted();
      await held; // still open while the other replica's decision goes through
    });
    await firstInserted;
    const second = transaction(db.pool, (client) =>
      announceGate(client, gate("second"), "approved"),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    commitFirst();
    await Promise.all([first, second]);
    await until(() => seen.length === 2, "both gate events reach the hub");
    expect(seen.map((e) => (e.payload as { id: string }).id)).toEqual(["first", "second"]);
    off();
  });
});
