// Collects what a page reports as broken: console errors and uncaught exceptions.
import type { Page } from "@playwright/test";
import { stageChips } from "../test/stage-chips";

export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

/** The stages and statuses commit `sha` showed in this page, in order, as `stage|status`. */
export async function stageChanges(page: Page, sha: string): Promise<string[]> {
  return (await stageChips(page))
    .filter((change) => change.sha === sha)
    .map((change) => `${change.stage}|${change.status}`);
}
