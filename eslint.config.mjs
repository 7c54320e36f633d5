// Lint rules: Next's core-web-vitals and TypeScript sets, plus the project's own boundaries.
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/** Imports only lib/k8s and lib/db may make. */
const OUTSIDE = [
  { group: ["@kubernetes/client-node"], message: "Kubernetes calls live in lib/k8s." },
  {
    group: ["**/db/generated/**", "@prisma/*", "pg"],
    message: "Database access lives in lib/db.",
  },
];

/** Imports product code never makes. */
const TEST_ONLY = [
  { group: ["vitest", "@playwright/*"], message: "Test helpers live under test/." },
  { group: ["@/test/*", "**/test/*"], message: "Product code does not use test helpers." },
  { group: ["@/sim", "@/sim/*", "**/sim/*"], message: "Product code does not use the simulator." },
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".shiplog/**",
      "lib/db/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "e2e/output/**",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Server code logs through lib/log.ts; only command-line scripts print.
    files: ["lib/**/*.ts", "app/**/*.ts", "app/**/*.tsx"],
    rules: { "no-console": "error" },
  },
  {
    // One way in to each outside system: Kubernetes through lib/k8s, the database through lib/db;
    // and test helpers live under test/ (product code never imports a test runner, a test helper
    // or the simulator).
    files: ["app/**", "components/**"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: { "no-restricted-imports": ["error", { patterns: [...OUTSIDE, ...TEST_ONLY] }] },
  },
  {
    files: ["lib/**"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: { "no-restricted-imports": ["error", { patterns: TEST_ONLY }] },
  },
];

export default config;
