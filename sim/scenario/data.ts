// The people and words of the scenario's commits: authors, commit messages and touched files,
// picked by the seeded random source.
import type { Seeded } from "../controllers/random";

export interface Person {
  name: string;
  email: string;
  username: string;
}

export const AUTHORS: Person[] = [
  { name: "Maria Garcia", email: "maria.garcia@shop.example.com", username: "mgarcia" },
  { name: "Jonas Becker", email: "jonas.becker@shop.example.com", username: "jbecker" },
  { name: "Priya Raman", email: "priya.raman@shop.example.com", username: "praman" },
  { name: "Tom Okafor", email: "tom.okafor@shop.example.com", username: "tokafor" },
  { name: "Lena Novak", email: "lena.novak@shop.example.com", username: "lnovak" },
  { name: "Kenji Sato", email: "kenji.sato@shop.example.com", username: "ksato" },
];

/** Who commits to the manifests repo: the promote pipeline's git-cli task. */
export const PIPELINE_BOT: Person = {
  name: "Tekton Bot",
  email: "tekton-bot@shop.example.com",
  username: "tekton-bot",
};

const VERBS = ["Fix", "Add", "Update", "Refactor", "Remove", "Speed up", "Harden", "Document"];
const SUBJECTS: Record<string, string[]> = {
  payments: [
    "refund rounding for JPY",
    "idempotency keys on capture",
    "3-D Secure retry handling",
    "the settlement report export",
    "currency conversion cache",
  ],
  storefront: [
    "cart badge after login",
    "product image lazy loading",
    "checkout button contrast",
    "the promo banner carousel",
    "locale switcher",
  ],
  search: [
    "synonym expansion for sizes",
    "facet counts on empty queries",
    "the index warm-up job",
    "typo tolerance for short terms",
    "ranking boost for in-stock items",
  ],
};
const GENERIC = ["request logging", "health check timeout", "dependency pins", "error messages"];
const DETAILS = [
  "",
  "\n\nCloses #{n}",
  "\n\nThe old behaviour surprised users in the last release.",
  "\n\nReviewed-by: {reviewer}",
];
const FILES: Record<string, string[]> = {
  payments: ["src/capture.ts", "src/refunds.ts", "src/currency.ts", "test/capture.test.ts"],
  storefront: ["src/cart/Cart.tsx", "src/pages/product.tsx", "src/i18n/en.json", "README.md"],
  search: ["internal/index/warmup.go", "internal/query/synonyms.go", "internal/rank/boost.go"],
};

export interface CommitContent {
  author: Person;
  title: string;
  message: string;
  modified: string[];
  added: string[];
}

export function commitContent(seed: Seeded, app: string, n: number): CommitContent {
  const key = ["commit", app, n];
  const author = seed.pick(AUTHORS, ...key, "author");
  const subject = seed.pick(SUBJECTS[app] ?? GENERIC, ...key, "subject");
  const title = `${seed.pick(VERBS, ...key, "verb")} ${subject}`;
  const reviewer = seed.pick(
    AUTHORS.filter((a) => a !== author),
    ...key,
    "reviewer",
  );
  const detail = seed
    .pick(DETAILS, ...key, "detail")
    .replace("{n}", String(seed.int(100, 999, ...key, "issue")))
    .replace("{reviewer}", `${reviewer.name} <${reviewer.email}>`);
  const files = FILES[app] ?? ["src/main.ts", "src/config.ts", "README.md"];
  const modified = [seed.pick(files, ...key, "file")];
  const added = seed.chance(0.2, ...key, "added") ? [`docs/changes/${n}.md`] : [];
  return { author, title, message: `${title}${detail}`, modified, added };
}
