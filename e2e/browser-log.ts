// Collects what a page reports as broken: console errors and uncaught exceptions.
import type { Page } from "@playwright/test";

export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

/**
 * Records every stage status a commit row shows, as the DOM changes, so a test can tell that a
 * commit moved through its stages in this page (no reload would keep the record).
 */
export async function recordStageChanges(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    const w = window as unknown as { __stageChanges: string[] };
    w.__stageChanges = seen;
    const note = (el: Element) => {
      const row = el.closest("[data-testid=commit-row]");
      const stage = el.getAttribute("data-stage");
      if (row && stage)
        seen.push(`${row.getAttribute("data-sha")}|${stage}|${el.getAttribute("data-status")}`);
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
  });
}

export async function stageChanges(page: Page, sha: string): Promise<string[]> {
  const all = await page.evaluate(
    () => (window as unknown as { __stageChanges?: string[] }).__stageChanges ?? null,
  );
  if (all === null) throw new Error("the page was reloaded: the record of changes is gone");
  return all.filter((entry) => entry.startsWith(`${sha}|`)).map((e) => e.slice(sha.length + 1));
}
