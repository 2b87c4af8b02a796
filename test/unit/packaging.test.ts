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
});
