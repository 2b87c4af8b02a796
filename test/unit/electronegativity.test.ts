import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir, writeFiles } from "../helpers.js";

// Doyensec's Electronegativity, the Electron security linter, over the main process and the
// renderer's sources. AVAILABLE_SECURITY_FIXES compares the Electron version against an online list:
// no network here, so it is excluded. Checks that are right in general but wrong for one line are
// disabled on that line with an `eng-disable` comment saying why.
interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  sample?: string;
  description: string;
}
interface Report {
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
  issues: Finding[];
}
type Run = (options: Record<string, unknown>) => Promise<Report>;

const require = createRequire(import.meta.url);
const run = require("@doyensec/electronegativity") as Run;
const electronVersion = (require("electron/package.json") as { version: string }).version;

function scan(input: string): Promise<Report> {
  return run({ input, excludeFromScan: ["AvailableSecurityFixesGlobalCheck"], electronVersionOverride: electronVersion, isRelative: true });
}

const describeFinding = (finding: Finding) => `${finding.id} ${finding.file}:${finding.location.line} ${finding.sample ?? ""} — ${finding.description}`;

describe("Electronegativity", () => {
  it("finds nothing in main/ and renderer/", async () => {
    // Only the sources: main/, renderer/src and renderer/index.html, not builds, tests or node_modules.
    const input = tempDir();
    fs.cpSync(path.join(ROOT, "main"), path.join(input, "main"), { recursive: true });
    fs.cpSync(path.join(ROOT, "renderer", "src"), path.join(input, "renderer", "src"), { recursive: true });
    fs.copyFileSync(path.join(ROOT, "renderer", "index.html"), path.join(input, "renderer", "index.html"));

    const report = await scan(input);
    // A file that failed to parse would have been checked for nothing.
    expect(report.errors.filter((error) => !error.tolerable)).toEqual([]);
    expect(report.issues.map(describeFinding)).toEqual([]);
  }, 60_000);

  it("does find what the shell guards against (so the clean result above means something)", async () => {
    const input = tempDir();
    writeFiles(input, {
      "main.js": `
        const { app, BrowserWindow } = require("electron");
        app.whenReady().then(() => {
          const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });
          win.loadURL("http://example.com/");
        });
      `,
      "index.html": "<!doctype html><html><body><script src='http://example.com/x.js'></script></body></html>",
    });
    const ids = new Set((await scan(input)).issues.map((finding) => finding.id));
    for (const id of ["NODE_INTEGRATION_JS_CHECK", "CONTEXT_ISOLATION_JS_CHECK", "SANDBOX_JS_CHECK", "LIMIT_NAVIGATION_GLOBAL_CHECK", "PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK", "CSP_GLOBAL_CHECK"]) {
      expect(ids, id).toContain(id);
    }
  }, 60_000);
});
