import { describe, expect, it } from "vitest";
import { CliError, parseCliArgs } from "./cli-args";

describe("parseCliArgs", () => {
  it("has the documented defaults", () => {
    expect(parseCliArgs([])).toMatchObject({
      seed: 1,
      port: 6443,
      harborPort: 8081,
      webhookBase: null,
      kubeconfig: ".shiplog/sim/kubeconfig",
      timeScale: 1,
      onlyCommits: null,
      apps: 3,
      decideGates: "never",
    });
  });

  it("reads the public flags, with spaces or =", () => {
    const o = parseCliArgs([
      "--seed",
      "7",
      "--port=7443",
      "--harbor-port",
      "9081",
      "--webhook-base",
      "http://127.0.0.1:3000/",
      "--kubeconfig",
      "/tmp/kc",
      "--time-scale",
      "0.5",
      "--commits",
      "4",
      "--decide-gates",
      "approve",
    ]);
    expect(o).toMatchObject({
      seed: 7,
      port: 7443,
      harborPort: 9081,
      webhookBase: "http://127.0.0.1:3000",
      kubeconfig: "/tmp/kc",
      timeScale: 0.5,
      onlyCommits: 4,
      decideGates: "approve",
    });
  });

  it("names the bad flag", () => {
    expect(() => parseCliArgs(["--seed", "x"])).toThrow(/--seed needs an integer/);
    expect(() => parseCliArgs(["--webhook-base", "ftp://x"])).toThrow(CliError);
    expect(() => parseCliArgs(["--decide-gates", "maybe"])).toThrow(/never, approve or reject/);
    expect(() => parseCliArgs(["--nope"])).toThrow(/unknown option --nope/);
  });
});
