// Writes the dashboard's figures into bench/RESULTS.md between its markers, leaving the rest of
// the file (the other benchmarks' report) as it is; the markers go at the end when absent.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { format, resolveConfig } from "prettier";

export const START = "<!-- dashboard:start -->";
export const END = "<!-- dashboard:end -->";

export function replaceBlock(text: string, block: string): string {
  const wrapped = `${START}\n\n${block.trim()}\n\n${END}`;
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start >= 0 && end > start)
    return text.slice(0, start) + wrapped + text.slice(end + END.length);
  return `${text.replace(/\s*$/, "")}\n\n${wrapped}\n`;
}

/** Formats the block as the repository's Prettier would (tables aligned), then writes it in. */
export async function writeBlock(file: string, block: string): Promise<void> {
  const options = (await resolveConfig(file)) ?? {};
  const formatted = await format(block, { ...options, parser: "markdown" });
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Shiplog benchmarks\n";
  writeFileSync(file, replaceBlock(text, formatted));
}
