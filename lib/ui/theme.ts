// Light, dark or the system's choice: the choice is remembered in localStorage and applied by a
// tiny script before the first paint (no flash of the wrong theme), then by the theme switch.

export type ThemeChoice = "light" | "dark" | "system";
export const THEME_KEY = "shiplog-theme";

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === "light" || value === "dark" || value === "system";
}

/** Whether the page is dark for this choice and the system's preference. */
export function isDark(choice: ThemeChoice, systemPrefersDark: boolean): boolean {
  return choice === "dark" || (choice === "system" && systemPrefersDark);
}

/** Runs in <head> before anything paints: same rule as isDark, no imports, never throws. */
export const THEME_SCRIPT = `(function(){try{var c=localStorage.getItem(${JSON.stringify(THEME_KEY)});if(c!=="light"&&c!=="dark")c="system";var d=c==="dark"||(c==="system"&&window.matchMedia("(prefers-color-scheme: dark)").matches);var e=document.documentElement;e.classList.toggle("dark",d);e.style.colorScheme=d?"dark":"light";e.dataset.theme=c;}catch(_){}})();`;
