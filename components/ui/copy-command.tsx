"use client";
// A terminal command with a button that copies it; the command stays selectable text.
import { useState } from "react";

export function CopyCommand({ label, command }: { label: string; command: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="flex items-start gap-2">
      <code
        className="min-w-0 flex-1 overflow-x-auto rounded bg-zinc-100 px-2 py-1 font-mono text-xs whitespace-pre dark:bg-zinc-950"
        data-testid="inspect-command"
      >
        {command}
      </code>
      <button
        type="button"
        onClick={() => void copy()}
        aria-label={`Copy command: ${label}`}
        className="shrink-0 rounded border border-zinc-300 px-2 py-0.5 text-xs hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        {copied ? "Copied" : "Copy"}
      </button>
      <span className="sr-only" aria-live="polite">
        {copied ? `${label} copied` : ""}
      </span>
    </div>
  );
}
