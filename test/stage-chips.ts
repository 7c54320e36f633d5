// Records, in a page, every status a commit row's stage chips show as the DOM changes, with the
// time: the end-to-end tests read which stages a commit moved through, the live benchmark when
// each status appeared. The record lives in the page, so a reload loses it.
import type { Page } from "@playwright/test";

export interface ChipChange {
  sha: string;
  stage: string;
  status: string;
  /** Date.now() in the page. */
  at: number;
}

// Plain script text, not a function: a bundler's helpers (tsx names inner functions) would be
// missing in the page.
const RECORDER = `(() => {
  const seen = [];
  window.__stageChips = seen;
  const note = (el) => {
    const stage = el.getAttribute("data-stage");
    const row = el.closest("[data-testid=commit-row]");
    const sha = row && row.getAttribute("data-sha");
    if (stage && sha) seen.push({ sha, stage, status: el.getAttribute("data-status") || "", at: Date.now() });
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes" && r.target instanceof Element) note(r.target);
      for (const node of r.addedNodes) {
        if (node instanceof Element) node.querySelectorAll("[data-stage]").forEach(note);
      }
    }
  }).observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["data-status"],
  });
})()`;

export async function recordStageChips(page: Page): Promise<void> {
  await page.evaluate(RECORDER);
}

/** Every change recorded since recordStageChips, in order. */
export async function stageChips(page: Page): Promise<ChipChange[]> {
  const all = (await page.evaluate("window.__stageChips ?? null")) as ChipChange[] | null;
  if (all === null) throw new Error("the page was reloaded: the record of changes is gone");
  return all;
}
