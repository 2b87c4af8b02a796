import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../helpers.js";

// electron-builder validates its configuration before it downloads Electron; calling that same
// validator proves the file is valid here, where the download (and so a real build) is impossible.
const require = createRequire(import.meta.url);
const { validateConfiguration } = require("app-builder-lib/out/util/config/config.js") as {
  validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const logger = { isEnabled: false, add: () => undefined };

describe("electron-builder.yml", () => {
  const config = parse(fs.readFileSync(path.join(ROOT, "electron-builder.yml"), "utf8")) as Record<string, unknown>;

  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(config, logger)).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, notAnOption: true }, logger)).rejects.toThrow(/Invalid configuration/);
  });

  it("names the app and packs the built code, with native modules unpacked from asar", () => {
    expect(config).toMatchObject({ appId: expect.any(String), productName: "Sourcebook" });
    expect(config.asarUnpack).toContain("**/*.node");
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string };
    expect(pkg.main.startsWith("dist/main/")).toBe(true);
  });

  it("builds AppImage and deb, a dmg for both Mac architectures, and an NSIS installer", () => {
    expect(config.linux).toMatchObject({ target: expect.arrayContaining(["AppImage", "deb"]) });
    expect(config.mac).toMatchObject({ target: [{ target: "dmg", arch: expect.arrayContaining(["arm64", "x64"]) }] });
    expect(config.win).toMatchObject({ target: "nsis" });
  });

  it("packs what the app runs: the main process, the preload bundle next to it, the renderer build", () => {
    const files = config.files as string[];
    expect(files).toEqual(expect.arrayContaining(["dist/main/**", "dist/shared/**", "renderer/dist/**", "package.json"]));
    // main/app/index.ts loads preload.cjs from its own folder; the preload build writes it there.
    const index = fs.readFileSync(path.join(ROOT, "main", "app", "index.ts"), "utf8");
    expect(index).toContain('path.join(import.meta.dirname, "preload.cjs")');
    expect(fs.readFileSync(path.join(ROOT, "vite.preload.config.ts"), "utf8")).toMatch(/outDir: "dist\/main\/app"[\s\S]*"preload\.cjs"/);
  });

  it("follows node-llama-cpp's Electron guide: only this platform's llama.cpp binaries, unpacked from asar", () => {
    const files = config.files as string[];
    expect(files).toEqual(
      expect.arrayContaining([
        "!node_modules/node-llama-cpp/bins/**/*",
        "node_modules/node-llama-cpp/bins/${os}-${arch}*/**/*",
        "!node_modules/@node-llama-cpp/*/bins/**/*",
        "node_modules/@node-llama-cpp/${os}-${arch}*/bins/**/*",
      ]),
    );
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(["node_modules/node-llama-cpp/bins", "node_modules/node-llama-cpp/llama/localBuilds", "node_modules/@node-llama-cpp/*"]),
    );
    // The patterns assume node-llama-cpp's layout: each platform package (CPU, CUDA, Vulkan…) keeps its binaries in bins/.
    const packages = fs.readdirSync(path.join(ROOT, "node_modules", "@node-llama-cpp"));
    expect(packages.length).toBeGreaterThan(0);
    for (const name of packages) expect(fs.existsSync(path.join(ROOT, "node_modules", "@node-llama-cpp", name, "bins")), name).toBe(true);
  });

  it("rebuilds better-sqlite3 for Electron's ABI", () => {
    expect(config.npmRebuild).toBe(true);
  });

  it("sets Electron's fuses as the security checklist advises", () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      onlyLoadAppFromAsar: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
  });
});
