// Scanning over real HTTP: POST .../scan starts a scan whose scan_overview goes Pending,
// Running, then Success with the counts the simulator is given.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harbor, NATIVE_REPORT_MIME, VULN_REPORT_MIME, createHarbor } from "./index";
import { swaggerValidator } from "./swagger-schema";
import { apiClient, waitFor } from "./test-support";

const schemas = swaggerValidator({ goNilable: true, closed: true });

function expectValid(definition: string, value: unknown) {
  const validate = schemas.validator(definition);
  validate(value);
  expect(validate.errors ?? []).toEqual([]);
}

let harbor: Harbor;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  harbor = await createHarbor({ scanner: { pendingMs: 500 }, projects: [{ name: "shiplog" }] });
  harbor.pushArtifact({ project: "shiplog", repository: "team/app", tag: "1.0.0" });
  harbor.pushArtifact({ project: "shiplog", repository: "team/app", tag: "1.2.0" });
  api = apiClient(harbor);
});

afterAll(async () => {
  await harbor?.close();
});

const APP = "/api/v2.0/projects/shiplog/repositories/team%252Fapp";

async function expectError(path: string, status: number, code: string, message: string, init = {}) {
  const result = await api(path, init);
  expect(result.status).toBe(status);
  expect(result.response.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(result.json).toEqual({ errors: [{ code, message }] });
  expectValid("Errors", result.json);
}

describe("scanning", () => {
  it("goes Pending, Running, then Success with the counts", async () => {
    const artifact = `${APP}/artifacts/1.2.0`;
    const overview = async (headers: Record<string, string> = {}) =>
      (await api(`${artifact}?with_scan_overview=true`, { headers })).json.scan_overview;

    expect(await overview()).toBeUndefined();
    const accepted = await api(`${artifact}/scan`, { method: "POST" });
    expect(accepted.status).toBe(202);
    expect(accepted.text).toBe("");
    expect((await overview())[VULN_REPORT_MIME]).toMatchObject({ scan_status: "Pending" });
    const running = await waitFor(async () => {
      const result = await api(`${artifact}?with_scan_overview=true`);
      return result.json.scan_overview[VULN_REPORT_MIME].scan_status === "Running" && result;
    });
    expectValid("Artifact", running.json);

    harbor.completeScan({
      project: "shiplog",
      repository: "team/app",
      tag: "1.2.0",
      counts: { critical: 2, high: 3, low: 1 },
    });
    const done = await overview();
    expect(done[VULN_REPORT_MIME]).toMatchObject({
      scan_status: "Success",
      severity: "Critical",
      complete_percent: 100,
      summary: { total: 6, fixable: 0, summary: { Critical: 2, High: 3, Low: 1 } },
      scanner: { name: "Trivy", vendor: "Aqua Security" },
    });
    expectValid("NativeReportSummary", done[VULN_REPORT_MIME]);
    const native = await overview({ "X-Accept-Vulnerabilities": NATIVE_REPORT_MIME });
    expect(Object.keys(native)).toEqual([NATIVE_REPORT_MIME]);
    expect((await api(artifact)).json).not.toHaveProperty("scan_overview");
  });

  it("shows a scanner error as scan_status Error, without a summary", async () => {
    const artifact = `${APP}/artifacts/1.0.0`;
    expect(
      (await api(`${artifact}/scan`, { method: "POST", body: '{"scan_type":"vulnerability"}' }))
        .status,
    ).toBe(202);
    harbor.completeScan({ project: "shiplog", repository: "team/app", tag: "1.0.0", fail: true });
    const { json } = await api(`${artifact}?with_scan_overview=true`);
    const summary = json.scan_overview[VULN_REPORT_MIME];
    expect(summary).toMatchObject({ scan_status: "Error" });
    expect(summary).not.toHaveProperty("summary");
    expect(summary).not.toHaveProperty("severity");
    expectValid("Artifact", json);
  });

  it("refuses a malformed scan request body with 400, and anonymous scans with 401", async () => {
    const result = await api(`${APP}/artifacts/1.0.0/scan`, {
      method: "POST",
      body: "{scan_type:",
    });
    expect(result.status).toBe(400);
    expect(result.json.errors[0].code).toBe("BAD_REQUEST");
    expect(result.json.errors[0].message).toMatch(
      /^parsing scanType body from "" failed, because /,
    );
    await expectError(`${APP}/artifacts/1.0.0/scan`, 401, "UNAUTHORIZED", "unauthorized", {
      auth: "none",
      method: "POST",
    });
  });
});
