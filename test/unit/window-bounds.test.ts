import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_WINDOW_STATE,
  MIN_HEIGHT,
  MIN_WIDTH,
  fitToDisplays,
  loadWindowState,
  parseWindowState,
  saveWindowState,
  type Rect,
} from "../../main/app/window-bounds.js";
import { tempDir, writeFiles } from "../helpers.js";

const laptop: Rect = { x: 0, y: 25, width: 1440, height: 875 };
const monitorOnTheRight: Rect = { x: 1440, y: 0, width: 2560, height: 1415 };

describe("the remembered window", () => {
  it("comes back where it was saved", () => {
    const dir = tempDir();
    const file = path.join(dir, "userData", "window-state.json");
    saveWindowState(file, { x: 100, y: 60, width: 1200, height: 800, maximized: true });
    expect(loadWindowState(file, [laptop])).toEqual({ x: 100, y: 60, width: 1200, height: 800, maximized: true });
    // Written whole and renamed: no temporary file is left behind.
    expect(fs.readdirSync(path.dirname(file))).toEqual(["window-state.json"]);
  });

  it("opens with the defaults when the file is missing, corrupt or not a state", () => {
    const dir = tempDir();
    expect(loadWindowState(path.join(dir, "missing.json"), [laptop])).toEqual(DEFAULT_WINDOW_STATE);
    const cases: Record<string, string> = {
      "truncated.json": '{"width": 1200, "hei',
      "empty.json": "",
      "null.json": "null",
      "array.json": "[1200, 800]",
      "strings.json": '{"width": "1200", "height": "800"}',
      "negative.json": '{"width": -5, "height": 800}',
      "maximized.json": '{"width": 1200, "height": 800, "maximized": "yes"}',
    };
    writeFiles(dir, cases);
    for (const name of Object.keys(cases)) expect(loadWindowState(path.join(dir, name), [laptop]), name).toEqual(DEFAULT_WINDOW_STATE);
  });

  it("keeps a size without a position, and drops a half-given position", () => {
    expect(parseWindowState({ width: 900.4, height: 700 })).toEqual({ width: 900, height: 700, maximized: false });
    expect(parseWindowState({ width: 900, height: 700, x: 10 })).toEqual({ width: 900, height: 700, maximized: false });
    expect(parseWindowState({ width: 900, height: 700, x: Number.NaN, y: 3 })).toEqual({ width: 900, height: 700, maximized: false });
  });

  it("stays on the monitor it was on while that monitor is attached", () => {
    const onMonitor = { x: 2000, y: 200, width: 1600, height: 1000, maximized: false };
    expect(fitToDisplays(onMonitor, [laptop, monitorOnTheRight])).toEqual(onMonitor);
  });

  it("moves to the primary display, centred, when its monitor is gone", () => {
    const onMonitor = { x: 2000, y: 200, width: 1600, height: 1000, maximized: false };
    expect(fitToDisplays(onMonitor, [laptop])).toEqual({ width: 1440, height: 875, maximized: false });
  });

  it("is pulled back when its title bar hangs off the display", () => {
    expect(fitToDisplays({ x: 1300, y: 500, width: 800, height: 600, maximized: false }, [laptop])).toEqual({
      x: 640,
      y: 300,
      width: 800,
      height: 600,
      maximized: false,
    });
    // Above the top of the work area, the title bar cannot be grabbed: centred instead.
    expect(fitToDisplays({ x: 100, y: -200, width: 800, height: 600, maximized: false }, [laptop])).toEqual({
      width: 800,
      height: 600,
      maximized: false,
    });
  });

  it("is never larger than its display, nor smaller than the minimum", () => {
    expect(fitToDisplays({ width: 5000, height: 4000, maximized: false }, [laptop])).toEqual({ width: 1440, height: 875, maximized: false });
    expect(fitToDisplays({ width: 10, height: 10, maximized: false }, [laptop])).toEqual({ width: MIN_WIDTH, height: MIN_HEIGHT, maximized: false });
    // A display smaller than the minimum still gets a window that fits.
    expect(fitToDisplays({ width: 1000, height: 800, maximized: false }, [{ x: 0, y: 0, width: 600, height: 400 }])).toEqual({
      width: 600,
      height: 400,
      maximized: false,
    });
  });

  it("is left as saved when no display is known", () => {
    expect(fitToDisplays({ x: 5, y: 5, width: 900, height: 700, maximized: false }, [])).toEqual({ x: 5, y: 5, width: 900, height: 700, maximized: false });
  });
});
