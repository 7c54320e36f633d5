import { describe, expect, it } from "vitest";
import { crossSiteProblem, isSafeMethod } from "./csrf";

const h = (init: Record<string, string>) => new Headers(init);

describe("crossSiteProblem with AUTH_URL", () => {
  const authUrl = "https://shiplog.example.com";

  it("accepts the exact origin of AUTH_URL", () => {
    expect(crossSiteProblem(h({ origin: "https://shiplog.example.com" }), authUrl)).toBeNull();
    expect(
      crossSiteProblem(h({ origin: "http://localhost:3100" }), "http://localhost:3100/"),
    ).toBeNull();
  });

  it("refuses another origin, scheme, port or sibling subdomain", () => {
    for (const origin of [
      "https://evil.example",
      "http://shiplog.example.com",
      "https://shiplog.example.com:8443",
      "https://api.shiplog.example.com",
      "null",
    ]) {
      expect(crossSiteProblem(h({ origin }), authUrl)).toBe(
        `cross-site request refused: Origin ${origin} is not https://shiplog.example.com`,
      );
    }
  });

  it("falls back to Sec-Fetch-Site when there is no Origin, and refuses when neither says", () => {
    expect(crossSiteProblem(h({ "sec-fetch-site": "same-origin" }), authUrl)).toBeNull();
    expect(crossSiteProblem(h({ "sec-fetch-site": "same-site" }), authUrl)).toBe(
      "cross-site request refused: no Origin header",
    );
    expect(crossSiteProblem(h({}), authUrl)).toBe("cross-site request refused: no Origin header");
  });

  it("does not let a matching Host rescue a wrong Origin", () => {
    expect(
      crossSiteProblem(h({ origin: "https://evil.example", host: "evil.example" }), authUrl),
    ).not.toBeNull();
  });
});

describe("crossSiteProblem without AUTH_URL", () => {
  it("compares the Origin's host with Host", () => {
    expect(
      crossSiteProblem(h({ origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }), undefined),
    ).toBeNull();
    expect(
      crossSiteProblem(h({ origin: "http://evil.example", host: "127.0.0.1:3000" }), undefined),
    ).toBe(
      "cross-site request refused: Origin http://evil.example does not match Host 127.0.0.1:3000",
    );
    expect(crossSiteProblem(h({ origin: "garbage", host: "x" }), undefined)).toBe(
      "cross-site request refused: Origin garbage is not a URL",
    );
  });
});

describe("isSafeMethod", () => {
  it("knows which methods change nothing", () => {
    expect(["GET", "head", "OPTIONS"].map(isSafeMethod)).toEqual([true, true, true]);
    expect(["POST", "PUT", "PATCH", "DELETE"].map(isSafeMethod)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
