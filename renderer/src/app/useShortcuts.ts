// The app's keyboard shortcuts, and the same commands when they come from the native menu.
import { useEffect, useRef } from "react";
import type { MenuCommand } from "../../../shared/api.js";
import { useEvent } from "../api.js";

/** Escape is not a menu command: it closes what is open before it stops an answer. */
export type Command = MenuCommand | "escape";

const KEYS: Record<string, Command> = { n: "newChat", l: "focusInput", k: "focusSearch" };

/** `run` returns false when nothing used the key, so it keeps its usual meaning. */
export function useShortcuts(mac: boolean, run: (command: Command) => boolean | void): void {
  const latest = useRef(run);
  latest.current = run;
  useEvent("menu.command", ({ command }) => void latest.current(command));
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const mod = mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
      const command = mod && !event.altKey && !event.shiftKey ? KEYS[event.key.toLowerCase()] : event.key === "Escape" ? "escape" : undefined;
      if (command && latest.current(command) !== false) event.preventDefault();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [mac]);
}
