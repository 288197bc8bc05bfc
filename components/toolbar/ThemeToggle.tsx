"use client";

// Dark or light theme. The choice is kept in localStorage and set on <html data-theme> before the
// page paints (see THEME_INIT_SCRIPT in the root layout); without a choice the system setting rules.
import { useSyncExternalStore } from "react";

export type Theme = "light" | "dark";
export const THEME_STORAGE_KEY = "wakeline-theme";

/** Runs in <head> before anything is drawn, so a stored theme never flashes the other one first. */
export const THEME_INIT_SCRIPT = `try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(t==="dark"||t==="light")document.documentElement.dataset.theme=t}catch(e){}`;

const DARK_QUERY = "(prefers-color-scheme: dark)";
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const media = window.matchMedia(DARK_QUERY);
  media.addEventListener("change", listener);
  return () => {
    listeners.delete(listener);
    media.removeEventListener("change", listener);
  };
}

function currentTheme(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "dark" || chosen === "light") return chosen;
  return window.matchMedia(DARK_QUERY).matches ? "dark" : "light";
}

function chooseTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Private browsing may refuse storage: the theme still applies to this page.
  }
  listeners.forEach((listener) => listener());
}

export function ThemeToggle() {
  // On the server (and while hydrating) the theme is unknown: the button waits for the browser.
  const theme = useSyncExternalStore<Theme | null>(subscribe, currentTheme, () => null);
  const next: Theme = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      className="theme-toggle button-secondary"
      data-testid="theme-toggle"
      data-theme-now={theme ?? undefined}
      disabled={theme === null}
      onClick={() => chooseTheme(next)}
      aria-label={theme === null ? "Theme" : `Switch to the ${next} theme`}
    >
      <span aria-hidden="true">{theme === "dark" ? "☀" : "☾"}</span> {theme === "dark" ? "Light" : "Dark"} theme
    </button>
  );
}
