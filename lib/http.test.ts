import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  BadInput,
  Conflict,
  Forbidden,
  NotFound,
  PayloadTooLarge,
  Unauthorized,
  Upstream,
} from "./errors";
import { errorResponse, parseJson, parseQuery, route } from "./http";
import { log } from "./log";

const request = (query = "") => new Request(`http://localhost/api/v1/things${query}`);

describe("route", () => {
  it("sends what the handler returns as uncached JSON", async () => {
    const res = await route(() => ({ ok: 1 }))(request(), undefined);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ ok: 1 });
  });

  it("passes a Response through and hands the context on", async () => {
    const handler = route(async (_req, ctx: { params: Promise<{ id: string }> }) => {
      const { id } = await ctx.params;
      return new Response(id, { status: 202 });
    });
    const res = await handler(request(), { params: Promise.resolve({ id: "x1" }) });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("x1");
  });

  it("maps every AppError to its status with { error }", async () => {
    const cases = [
      [new BadInput("bad"), 400],
      [new Unauthorized("who"), 401],
      [new Forbidden("no"), 403],
      [new NotFound("gone"), 404],
      [new Conflict("late"), 409],
      [new PayloadTooLarge("big"), 413],
      [new Upstream("down"), 502],
    ] as const;
    for (const [error, status] of cases) {
      const res = await route(() => {
        throw error;
      })(request(), undefined);
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ error: error.message });
    }
  });

  it("turns anything else into a 500 without leaking it, and logs it", async () => {
    const spy = vi.spyOn(log, "error").mockImplementation(() => undefined);
    const res = await route(async () => {
      throw new TypeError("secret detail");
    })(new Request("http://localhost/api/v1/commits?x=1", { method: "GET" }), undefined);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "internal error" });
    expect(spy).toHaveBeenCalledWith(
      expect.objectContaining({
        method: "GET",
        path: "/api/v1/commits",
        err: expect.any(TypeError),
      }),
      "request failed",
    );
    spy.mockRestore();
    expect(errorResponse(new NotFound("x")).status).toBe(404);
  });
});

describe("parseQuery", () => {
  const schema = z.strictObject({
    app: z.string().optional(),
    limit: z.string().regex(/^\d+$/, { error: "must be a whole number" }).optional(),
  });

  it("reads the query; empty values count as absent", () => {
    expect(parseQuery(request("?app=web&limit=5"), schema)).toEqual({ app: "web", limit: "5" });
    expect(parseQuery(request("?app=&limit="), schema)).toEqual({});
  });

  it("names the parameter and the problem", () => {
    expect(() => parseQuery(request("?limit=ten"), schema)).toThrow(
      new BadInput("limit: must be a whole number"),
    );
    expect(() => parseQuery(request("?ap=web"), schema)).toThrow(
      new BadInput("unknown query parameter ap"),
    );
    expect(() => parseQuery(request("?ap=web&x=1"), schema)).toThrow(
      new BadInput("unknown query parameters ap, x"),
    );
    expect(() => parseQuery(request("?app=a&app=b"), schema)).toThrow(
      new BadInput("query parameter app is given more than once"),
    );
    expect(() => parseQuery(request("?app=&app=b"), schema)).toThrow(BadInput);
  });
});

describe("route with a role", () => {
  it("answers 401 with a Bearer challenge before the handler runs", async () => {
    const handler = vi.fn(() => ({ ok: 1 }));
    const res = await route({ role: "viewer" }, handler)(request(), undefined);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="shiplog"');
    expect(await res.json()).toEqual({
      error: "sign in, or send an API token as Authorization: Bearer <token>",
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it("refuses a malformed Authorization header without reading the cookie", async () => {
    const res = await route({ role: "viewer" }, () => ({}))(
      new Request("http://localhost/api/v1/things", { headers: { authorization: "Token abc" } }),
      undefined,
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Authorization must be Bearer <token>" });
  });
});

describe("parseJson", () => {
  const schema = z.strictObject({ name: z.string().min(1), role: z.enum(["viewer", "admin"]) });
  const post = (body: string, contentType = "application/json") =>
    new Request("http://localhost/api/v1/things", {
      method: "POST",
      body,
      headers: { "content-type": contentType },
    });

  it("returns the parsed body", async () => {
    expect(await parseJson(post('{"name":"ci","role":"admin"}'), schema)).toEqual({
      name: "ci",
      role: "admin",
    });
  });

  it("400s invalid JSON, a bad field and an unknown field with a message naming them", async () => {
    await expect(parseJson(post("{"), schema)).rejects.toThrow(
      "the request body is not valid JSON",
    );
    await expect(parseJson(post('{"name":"ci","role":"root"}'), schema)).rejects.toThrow(/^role: /);
    await expect(parseJson(post('{"name":"ci","role":"admin","x":1}'), schema)).rejects.toThrow(
      "unknown field x",
    );
  });

  it("415s a body not sent as application/json, and takes a charset", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/jsonp"]) {
      await expect(parseJson(post('{"name":"ci","role":"admin"}', type), schema)).rejects.toThrow(
        "send the request body as JSON with the header Content-Type: application/json",
      );
    }
    expect(
      await parseJson(
        post('{"name":"ci","role":"admin"}', "Application/JSON; charset=utf-8"),
        schema,
      ),
    ).toEqual({ name: "ci", role: "admin" });
  });

  it("413s a body over 64 KiB", async () => {
    await expect(
      parseJson(post(JSON.stringify({ name: "x".repeat(70_000), role: "viewer" })), schema),
    ).rejects.toMatchObject({ status: 413 });
  });
});
