// Electron's side of the remembered window: the displays attached now, and saving on close.
import path from "node:path";
import { app, screen, type BrowserWindow } from "electron";
import { loadWindowState, saveWindowState, type WindowState } from "./window-bounds.js";

function stateFile(): string {
  return path.join(app.getPath("userData"), "window-state.json");
}

/** The saved size and position, fitted to today's displays (primary first); defaults when there is none. */
export function restoreWindowState(): WindowState {
  const primary = screen.getPrimaryDisplay();
  const others = screen.getAllDisplays().filter((display) => display.id !== primary.id);
  return loadWindowState(stateFile(), [primary, ...others].map((display) => display.workArea));
}

/** Saves the window's normal (unmaximised) bounds when it closes, whatever closes it. */
export function rememberWindowState(window: BrowserWindow): void {
  window.on("close", () => {
    const bounds = window.getNormalBounds();
    try {
      saveWindowState(stateFile(), { ...bounds, maximized: window.isMaximized() });
    } catch (error) {
      // A read-only profile only costs the remembered size.
      console.error("Could not save the window state:", error);
    }
  });
}
