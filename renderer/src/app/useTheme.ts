// The theme as a data-theme attribute on <html>; "system" follows prefers-color-scheme as it changes.
import { useEffect, useSyncExternalStore } from "react";
import type { Settings } from "../../../shared/api.js";

const query = "(prefers-color-scheme: dark)";

function subscribe(listener: () => void): () => void {
  const media = window.matchMedia(query);
  media.addEventListener("change", listener);
  return () => media.removeEventListener("change", listener);
}

export function useTheme(setting: Settings["theme"]): void {
  const systemDark = useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
  const theme = setting === "system" ? (systemDark ? "dark" : "light") : setting;
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}
