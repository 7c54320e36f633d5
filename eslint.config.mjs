// Lint rules: Next's core-web-vitals and TypeScript sets, plus the project's own boundaries.
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

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
    // One way in to each outside system: Kubernetes through lib/k8s, the database through lib/db.
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@kubernetes/client-node"], message: "Kubernetes calls live in lib/k8s." },
            {
              group: ["**/db/generated/**", "@prisma/*", "pg"],
              message: "Database access lives in lib/db.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
