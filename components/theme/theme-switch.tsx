"use client";
// Light / dark / system, remembered in this browser; "system" follows the OS as it changes.
import { useSyncExternalStore } from "react";
import { THEME_KEY, isDark, isThemeChoice, type ThemeChoice } from "@/lib/ui/theme";

const CHOICES: { value: ThemeChoice; label: string; icon: React.ReactNode }[] = [
  {
    value: "light",
    label: "Light theme",
    icon: (
      <>
        <circle cx="8" cy="8" r="3" />
        <path
          d="M8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6 13 13M3 13l1.4-1.4M11.6 4.4 13 3"
          fill="none"
          strokeWidth="1.4"
        />
      </>
    ),
  },
  {
    value: "dark",
    label: "Dark theme",
    icon: <path d="M13 10.5A6 6 0 0 1 5.5 3a6 6 0 1 0 7.5 7.5z" />,
  },
  {
    value: "system",
    label: "System theme",
    icon: (
      <>
        <rect x="2" y="3" width="12" height="8" rx="1" fill="none" strokeWidth="1.4" />
        <path d="M6 14h4M8 11v3" fill="none" strokeWidth="1.4" />
      </>
    ),
  },
];

function apply(choice: ThemeChoice) {
  const dark = isDark(choice, window.matchMedia("(prefers-color-scheme: dark)").matches);
  const root = document.documentElement;
  root.classList.toggle("dark", dark);
  root.style.colorScheme = dark ? "dark" : "light";
  root.dataset.theme = choice;
}

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return isThemeChoice(value) ? value : "system";
  } catch {
    return "system";
  }
}

const CHANGED = "shiplog-theme-change";

/** The stored choice as an external store: other tabs (storage) and this one (CHANGED) notify. */
function subscribe(onChange: () => void) {
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  const follow = () => apply(stored());
  media.addEventListener("change", follow);
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    media.removeEventListener("change", follow);
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}

export function ThemeSwitch() {
  // The server cannot know the choice (null); the <head> script has applied it already.
  const choice = useSyncExternalStore<ThemeChoice | null>(subscribe, stored, () => null);

  const choose = (value: ThemeChoice) => {
    try {
      localStorage.setItem(THEME_KEY, value);
    } catch {
      // private mode: the choice lasts for this page only
    }
    apply(value);
    window.dispatchEvent(new Event(CHANGED));
  };

  return (
    <div
      role="group"
      aria-label="Theme"
      className="inline-flex rounded-md border border-zinc-200 p-0.5 dark:border-zinc-700"
    >
      {CHOICES.map((c) => (
        <button
          key={c.value}
          type="button"
          aria-label={c.label}
          title={c.label}
          aria-pressed={choice === c.value}
          onClick={() => choose(c.value)}
          className="rounded p-1 text-zinc-500 hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none aria-pressed:bg-zinc-200 aria-pressed:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100 dark:aria-pressed:bg-zinc-700 dark:aria-pressed:text-zinc-100"
        >
          <svg
            viewBox="0 0 16 16"
            aria-hidden="true"
            className="h-4 w-4 fill-current stroke-current"
          >
            {c.icon}
          </svg>
        </button>
      ))}
    </div>
  );
}
