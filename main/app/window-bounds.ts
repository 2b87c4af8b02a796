// The window's remembered size and position: read from a JSON file in userData, checked, and fitted
// to the displays attached now (a monitor may have been unplugged since). No Electron here, so every
// rule is tested; window-state.ts feeds it the displays and the window.
import fs from "node:fs";
import path from "node:path";

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  width: number;
  height: number;
  /** Absent: let the system centre the window. */
  x?: number;
  y?: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1100, height: 760, maximized: false };
export const MIN_WIDTH = 640;
export const MIN_HEIGHT = 480;
/** How much of the title bar must land on a display for the saved position to be kept. */
const GRIP = 100;

const finite = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** A saved state, or null for anything that is not one (a corrupt or hand-edited file). */
export function parseWindowState(value: unknown): WindowState | null {
  if (typeof value !== "object" || value === null) return null;
  const { width, height, x, y, maximized } = value as Record<string, unknown>;
  if (!finite(width) || !finite(height) || width <= 0 || height <= 0) return null;
  if (maximized !== undefined && typeof maximized !== "boolean") return null;
  const state: WindowState = { width: Math.round(width), height: Math.round(height), maximized: maximized ?? false };
  if (finite(x) && finite(y)) Object.assign(state, { x: Math.round(x), y: Math.round(y) });
  return state;
}

function overlap(a: Rect, b: Rect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), Math.max(min, max));

/**
 * Fits a state to the displays' work areas (primary first): no larger than its display, and kept
 * where it was only if its title bar is still on a display; otherwise centred on the primary one.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0];
  if (primary === undefined) return state;
  const { x, y } = state;
  if (x !== undefined && y !== undefined) {
    const titleBar = { x, y, width: state.width, height: Math.min(state.height, GRIP / 2) };
    const home = workAreas.reduce((best, area) => (overlap(titleBar, area) > overlap(titleBar, best) ? area : best), primary);
    if (overlap(titleBar, home) >= Math.min(GRIP, state.width) * titleBar.height) {
      const width = clamp(state.width, Math.min(MIN_WIDTH, home.width), home.width);
      const height = clamp(state.height, Math.min(MIN_HEIGHT, home.height), home.height);
      return {
        width,
        height,
        x: clamp(x, home.x, home.x + home.width - width),
        y: clamp(y, home.y, home.y + home.height - height),
        maximized: state.maximized,
      };
    }
  }
  return {
    width: clamp(state.width, Math.min(MIN_WIDTH, primary.width), primary.width),
    height: clamp(state.height, Math.min(MIN_HEIGHT, primary.height), primary.height),
    maximized: state.maximized,
  };
}

/** The state to open with: the saved one fitted to the displays, or the defaults when there is none or it is unreadable. */
export function loadWindowState(file: string, workAreas: readonly Rect[]): WindowState {
  let saved: WindowState | null = null;
  try {
    saved = parseWindowState(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    // Missing or corrupt: the defaults below.
  }
  return fitToDisplays(saved ?? DEFAULT_WINDOW_STATE, workAreas);
}

/** Written whole and renamed into place, so a crash mid-write leaves the previous state, not half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(state)}\n`);
  fs.renameSync(temporary, file);
}
