// A minimal OpenID Connect issuer for the e2e run (started by scripts/e2e.ts): discovery, JWKS,
// an authorize endpoint that signs in one fixed person at once, and a token endpoint that
// checks the client secret and the PKCE verifier and returns an RS256 ID token with `groups`.
// It also remembers what the last authorization request asked for, for the tests to check.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const SSO_PERSON = {
  sub: "sso-sam-1",
  preferred_username: "sam",
  name: "Sam Sso",
  email: "sam@sso.example",
  // As Keycloak, GitLab and Dex send it: Shiplog trusts an e-mail only when verified.
  email_verified: true,
  groups: ["release-managers", "sre", "developers"],
};

export type OidcIssuer = { url: string; close(): Promise<void> };

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export async function startOidcIssuer(client: { id: string; secret: string }): Promise<OidcIssuer> {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: "jwk" }), kid: "e2e", alg: "RS256", use: "sig" };
  const codes = new Map<string, { challenge: string; redirectUri: string; nonce?: string }>();
  let lastAuthorize: Record<string, string> = {};
  let url = "";

  const idToken = (claims: Record<string, unknown>) => {
    const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "e2e" }));
    const body = b64url(JSON.stringify(claims));
    const signature = sign("RSA-SHA256", Buffer.from(`${header}.${body}`), privateKey);
    return `${header}.${body}.${b64url(signature)}`;
  };

  const server: Server = createServer((req, res) => {
    const at = new URL(req.url ?? "/", url);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(value));
    };
    if (at.pathname === "/.well-known/openid-configuration") {
      return json(200, {
        issuer: url,
        authorization_endpoint: `${url}/authorize`,
        token_endpoint: `${url}/token`,
        jwks_uri: `${url}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      });
    }
    if (at.pathname === "/jwks") return json(200, { keys: [jwk] });
    if (at.pathname === "/last-authorize") return json(200, lastAuthorize);
    if (at.pathname === "/authorize") {
      lastAuthorize = Object.fromEntries(at.searchParams);
      const redirectUri = at.searchParams.get("redirect_uri") ?? "";
      const code = randomBytes(16).toString("hex");
      codes.set(code, {
        challenge: at.searchParams.get("code_challenge") ?? "",
        redirectUri,
        nonce: at.searchParams.get("nonce") ?? undefined,
      });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", at.searchParams.get("state") ?? "");
      return res.writeHead(302, { Location: back.toString() }).end();
    }
    if (at.pathname === "/token" && req.method === "POST") {
      let raw = "";
      req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      req.on("end", () => {
        const form = new URLSearchParams(raw);
        const basic = Buffer.from(
          (req.headers.authorization ?? "").replace(/^Basic /, ""),
          "base64",
        ).toString();
        const [id, secret] = basic
          ? basic.split(":").map(decodeURIComponent)
          : [form.get("client_id"), form.get("client_secret")];
        if (id !== client.id || secret !== client.secret) {
          return json(401, { error: "invalid_client" });
        }
        const grant = codes.get(form.get("code") ?? "");
        codes.delete(form.get("code") ?? "");
        const verifier = form.get("code_verifier") ?? "";
        const challenge = createHash("sha256").update(verifier).digest("base64url");
        if (
          !grant ||
          grant.challenge !== challenge ||
          grant.redirectUri !== form.get("redirect_uri")
        ) {
          return json(400, { error: "invalid_grant" });
        }
        const now = Math.floor(Date.now() / 1000);
        json(200, {
          access_token: randomBytes(16).toString("hex"),
          token_type: "Bearer",
          expires_in: 300,
          id_token: idToken({
            iss: url,
            aud: client.id,
            iat: now,
            exp: now + 300,
            ...(grant.nonce ? { nonce: grant.nonce } : {}),
            ...SSO_PERSON,
          }),
        });
      });
      return;
    }
    json(404, { error: "not found" });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
