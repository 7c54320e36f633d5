import { describe, expect, it } from "vitest";
import { createPrinter } from "./printer";

const HARBOR = "http://127.0.0.1:3000/api/webhooks/harbor";
const GIT = "http://127.0.0.1:3000/api/webhooks/git";
const givenUp = (url: string, type = "PUSH_ARTIFACT") => ({
  level: "error" as const,
  msg: "webhook given up",
  url,
  type,
});

const warning = (url: string, type = "PUSH_ARTIFACT") =>
  `warn: webhook not delivered (is the receiver up?) {"url":"${url}","type":"${type}"}`;

function printer(start = 0) {
  const lines: string[] = [];
  let clock = start;
  const p = createPrinter(
    (line) => lines.push(line),
    () => clock,
  );
  return { p, lines, advance: (ms: number) => (clock += ms) };
}

describe("the simulator's printer", () => {
  it("prints commits and warnings, not info or single failed attempts", () => {
    const { p, lines } = printer();
    p.log({ level: "info", msg: "started" });
    p.log({ level: "warn", msg: "webhook attempt failed", url: HARBOR });
    p.log({
      level: "info",
      msg: "commit",
      app: "cart",
      sha: "0123456789abcdef",
      title: "Add a cart",
    });
    p.log({ level: "warn", msg: "slow", url: "x" });
    expect(lines).toEqual(["commit cart 01234567 Add a cart", 'warn: slow {"url":"x"}']);
  });

  it("warns about a webhook given up, once a minute for the same receiver", () => {
    const { p, lines, advance } = printer();
    p.log(givenUp(HARBOR));
    p.log(givenUp(HARBOR));
    advance(60_001);
    p.log(givenUp(HARBOR));
    expect(lines).toEqual([warning(HARBOR), warning(HARBOR)]);
  });

  it("holds Harbor webhooks given up on before the receiver answered, and tells them as one line", () => {
    const { p, lines } = printer();
    p.hold();
    p.log(givenUp(HARBOR));
    p.log(givenUp(HARBOR));
    p.log(givenUp(HARBOR));
    expect(lines).toEqual([]);
    p.settle("http://127.0.0.1:3000", true);
    expect(lines).toEqual([
      "3 Harbor webhooks went undelivered before http://127.0.0.1:3000 answered (the starting images); " +
        "Shiplog's reconcile poll of Harbor finds those artifacts",
    ]);
    // Held ones are told once; after settle() a failure is a warning again.
    p.settle("http://127.0.0.1:3000", true);
    p.log(givenUp(HARBOR));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^warn: webhook not delivered/);
  });

  it.each([
    { held: "a Git webhook", url: GIT, type: "Push Hook", answered: true },
    {
      held: "a Harbor webhook, the receiver never answering",
      url: HARBOR,
      type: "PUSH_ARTIFACT",
      answered: false,
    },
  ])("still warns about $held", ({ url, type, answered }) => {
    const { p, lines } = printer();
    p.hold();
    p.log(givenUp(url, type));
    p.settle("http://127.0.0.1:3000", answered);
    expect(lines).toEqual([warning(url, type)]);
  });

  it("says nothing when nothing was held", () => {
    const { p, lines } = printer();
    p.hold();
    p.settle("http://127.0.0.1:3000", true);
    expect(lines).toEqual([]);
  });
});
