import { describe, expect, it } from "vitest";
import {
  contentSecurityPolicy,
  securityHeaders,
  strictTransportSecurity,
} from "./security-headers.mjs";

const directives = (csp: string) =>
  Object.fromEntries(
    csp.split("; ").map((d) => {
      const [name, ...values] = d.split(" ");
      return [name, values];
    }),
  );

describe("contentSecurityPolicy", () => {
  it("has no unsafe-eval in production and forbids framing", () => {
    const csp = directives(contentSecurityPolicy({ dev: false }));
    expect(csp["script-src"]).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["default-src"]).toEqual(["'self'"]);
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["base-uri"]).toEqual(["'self'"]);
    expect(csp["form-action"]).toEqual(["'self'"]);
    expect(csp["connect-src"]).toEqual(["'self'"]);
    expect(contentSecurityPolicy({ dev: false })).not.toContain("unsafe-eval");
  });

  it("allows eval and the HMR websocket in development only", () => {
    const csp = directives(contentSecurityPolicy({ dev: true }));
    expect(csp["script-src"]).toEqual(["'self'", "'unsafe-inline'", "'unsafe-eval'"]);
    expect(csp["connect-src"]).toEqual(["'self'", "ws:", "wss:"]);
  });
});

describe("securityHeaders", () => {
  it("sends the framing, referrer and sniffing headers with the CSP", () => {
    const headers = Object.fromEntries(
      securityHeaders({ dev: false }).map((h) => [h.key, h.value]),
    );
    expect(headers).toEqual({
      "Content-Security-Policy": contentSecurityPolicy({ dev: false }),
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "X-Content-Type-Options": "nosniff",
      "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    });
  });
});

describe("strictTransportSecurity", () => {
  it("pins browsers to https only when Shiplog is opened over https", () => {
    expect(strictTransportSecurity("https://shiplog.example.com")).toEqual({
      key: "Strict-Transport-Security",
      value: "max-age=31536000; includeSubDomains",
    });
    expect(strictTransportSecurity("http://127.0.0.1:3100")).toBeNull();
    expect(strictTransportSecurity(undefined)).toBeNull();
  });
});
