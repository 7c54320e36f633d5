import { describe, expect, it } from "vitest";
import { safeCallbackPath, signInErrorMessage } from "./sign-in-page";

describe("safeCallbackPath", () => {
  it("keeps local paths with their query", () => {
    expect(safeCallbackPath("/admin/audit?actor=dev")).toBe("/admin/audit?actor=dev");
    expect(safeCallbackPath("/")).toBe("/");
  });

  it("sends everything that could leave Shiplog, or loop, to /", () => {
    for (const value of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
      "/signin",
      "/signin?callbackUrl=/",
      "/a\nb",
      undefined,
      ["/a", "/b"],
    ]) {
      expect(safeCallbackPath(value), String(value)).toBe("/");
    }
  });
});

describe("signInErrorMessage", () => {
  it("explains next-auth's error codes", () => {
    expect(signInErrorMessage("CredentialsSignin")).toBe("Wrong user name or password.");
    expect(signInErrorMessage("SomethingNew")).toBe("Signing in failed. Try again.");
    expect(signInErrorMessage(undefined)).toBeNull();
    expect(signInErrorMessage("")).toBeNull();
  });
});
