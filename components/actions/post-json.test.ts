import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/client/api";
import { failureText, postJson } from "./post-json";

let server: http.Server;
let base = "";
const seen: { headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    seen.push({ headers: req.headers, body });
    const send = (status: number, text: string) =>
      res.writeHead(status, { "Content-Type": "application/json" }).end(text);
    if (req.url === "/accepted") return send(202, '{"id":"a-1","status":"succeeded"}');
    if (req.url === "/forbidden") return send(403, '{"error":"this needs the operator role"}');
    res.writeHead(502, "Bad Gateway").end("upstream down");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("postJson", () => {
  it("sends JSON with the extra headers and returns the answer", async () => {
    const answer = await postJson<{ id: string }>(
      `${base}/accepted`,
      { name: "x" },
      { "Idempotency-Key": "k-1" },
    );
    expect(answer).toEqual({ id: "a-1", status: "succeeded" });
    const request = seen.at(-1)!;
    expect(request.headers["idempotency-key"]).toBe("k-1");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual({ name: "x" });
  });

  it("turns an error answer into an ApiError with the server's reason", async () => {
    const error = await postJson(`${base}/forbidden`, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, message: "this needs the operator role" });
    expect(failureText(error)).toBe("this needs the operator role");
  });

  it("falls back to the status line when the answer is not JSON", async () => {
    const error = await postJson(`${base}/elsewhere`, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, message: "502 Bad Gateway" });
  });
});

describe("failureText", () => {
  it("asks a signed-out person to sign in, and names a network failure as one", () => {
    expect(failureText(new ApiError(401, "sign in"))).toBe(
      "You are signed out; sign in again and retry.",
    );
    expect(failureText(new TypeError("fetch failed"))).toBe(
      "The request did not go through (fetch failed).",
    );
  });
});
