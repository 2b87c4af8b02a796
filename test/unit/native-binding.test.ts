import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BINDING_FILE, BUILD_FILE, NATIVE_DIR, nativeBinding, readBuild, runningTarget, selectNativeBinding, type NativeTarget } from "../../main/app/native-binding.js";
import { createServices } from "../../main/services.js";
import { buildSteps, electronAbi, ensureNativeBuild, installedTarget, installedTools, moduleAbi, needsBuild, type Step, type Tools } from "../../scripts/electron-native.js";
import { ROOT, tempDir, writeFiles } from "../helpers.js";

// `npm start` keeps better-sqlite3 built for Electron apart from node_modules' build for Node, so
// that the app, `npm test` and the CLI all work, in any order. Electron cannot be downloaded here:
// these tests cover the choice of binary, the build's command lines and when it runs, and npm
// start's Node check.
const TARGET: NativeTarget = { electron: "45.5.0", betterSqlite3: "12.11.1", platform: "linux", arch: "x64" };
const INSTALLED_BINARY = path.join(ROOT, "node_modules", "better-sqlite3", "build", "Release", BINDING_FILE);
const TOOLS: Tools = { node: "/usr/bin/node", prebuildInstall: "/deps/prebuild-install/bin.js", nodeGyp: "/deps/node-gyp/bin/node-gyp.js", headersDir: "/home/me/.electron-gyp" };

/** A compiled module's bytes, as far as moduleAbi reads them. */
const binaryFor = (abi: string) => Buffer.from(`\x7fELF...node_register_module_v${abi}\0...`, "latin1");

function writeBuild(dir: string, target: NativeTarget): void {
  writeFiles(dir, { [BINDING_FILE]: binaryFor("150"), [BUILD_FILE]: JSON.stringify(target) });
}

describe("the better-sqlite3 binary the desktop app opens its database with", () => {
  const appPath = "/src/sourcebook";
  const cached = path.join(appPath, NATIVE_DIR, BINDING_FILE);

  it("is the package's own when packaged (electron-builder rebuilt it), the cached Electron build otherwise", () => {
    expect(selectNativeBinding({ packaged: true, appPath, target: TARGET }, undefined)).toBeUndefined();
    expect(selectNativeBinding({ packaged: false, appPath, target: TARGET }, TARGET)).toBe(cached);
  });

  it("is refused, saying what to run, when the cached build is missing or was made for another Electron", () => {
    expect(() => selectNativeBinding({ packaged: false, appPath, target: TARGET }, undefined)).toThrow(/no build of better-sqlite3 for Electron .*`npm start`/);
    const older = { ...TARGET, electron: "44.0.0" };
    expect(() => selectNativeBinding({ packaged: false, appPath, target: TARGET }, older)).toThrow(/is for Electron 44\.0\.0 .*, not Electron 45\.5\.0.*`npm start` builds it again/);
    expect(() => selectNativeBinding({ packaged: false, appPath, target: TARGET }, { ...TARGET, betterSqlite3: "12.0.0" })).toThrow(/better-sqlite3 12\.0\.0/);
  });

  it("is read from the build folder: the binding and the note of what it was built for, both or nothing", () => {
    const app = tempDir();
    const dir = path.join(app, NATIVE_DIR);
    expect(readBuild(dir)).toBeUndefined();
    const target = runningTarget("45.5.0");
    writeBuild(dir, target);
    expect(readBuild(dir)).toEqual(target);
    expect(nativeBinding(false, app, "45.5.0")).toBe(path.join(dir, BINDING_FILE));
    expect(nativeBinding(true, app, "45.5.0")).toBeUndefined();
    expect(() => nativeBinding(false, app, "46.0.0")).toThrow(/not Electron 46\.0\.0/);

    fs.writeFileSync(path.join(dir, BUILD_FILE), "{ damaged");
    expect(readBuild(dir)).toBeUndefined();
    writeBuild(dir, target);
    fs.rmSync(path.join(dir, BINDING_FILE));
    expect(readBuild(dir)).toBeUndefined();
  });

  it("is the one the library loads when the services are given it", async () => {
    // A copy of node_modules' build under another name: only loading it puts it in require's cache.
    const binding = path.join(fs.realpathSync(tempDir()), "copy", BINDING_FILE);
    fs.mkdirSync(path.dirname(binding));
    fs.copyFileSync(INSTALLED_BINARY, binding);
    const loaded = createRequire(import.meta.url).cache;
    expect(loaded[binding]).toBeUndefined();
    const services = createServices({ dbPath: path.join(tempDir(), "lib.db"), threads: 1, nativeBinding: binding });
    try {
      expect(loaded[binding]).toBeDefined();
      expect(services.library.folders()).toEqual([]);
    } finally {
      await services.close();
    }
  });
});

describe("npm start's build of better-sqlite3 for Electron", () => {
  it("is made again only when it is missing or was made for another Electron, better-sqlite3, platform or architecture", () => {
    expect(needsBuild(undefined, TARGET)).toBe(true);
    expect(needsBuild({ ...TARGET }, TARGET)).toBe(false);
    for (const change of [{ electron: "46.0.0" }, { betterSqlite3: "12.12.0" }, { platform: "darwin" }, { arch: "arm64" }]) {
      expect(needsBuild({ ...TARGET, ...change }, TARGET)).toBe(true);
    }
  });

  it("downloads Electron's prebuilt binary, else compiles against Electron's headers, in a copy of the package and never with npm's nodedir", () => {
    const source = "/src/sourcebook/.cache/electron-native/better-sqlite3";
    const env = { PATH: "/usr/bin", npm_config_nodedir: "/usr", npm_config_cache: "/home/me/.npm" };
    const [download, compile] = buildSteps(TARGET, source, TOOLS, env);
    expect(download).toEqual({
      what: expect.stringContaining("prebuilt binary for Electron 45.5.0"),
      command: "/usr/bin/node",
      args: ["/deps/prebuild-install/bin.js", "--runtime=electron", "--target=45.5.0", "--platform=linux", "--arch=x64"],
      cwd: source,
      env: { PATH: "/usr/bin", npm_config_cache: "/home/me/.npm" },
    });
    expect(compile).toEqual({
      what: expect.stringContaining("Electron 45.5.0's headers"),
      command: "/usr/bin/node",
      args: ["/deps/node-gyp/bin/node-gyp.js", "rebuild", "--release", "--target=45.5.0", "--arch=x64", "--dist-url=https://www.electronjs.org/headers", "--devdir=/home/me/.electron-gyp"],
      cwd: source,
      env: { PATH: "/usr/bin", npm_config_cache: "/home/me/.npm" },
    });
  });

  it("finds its tools, the installed versions and Electron's ABI in this checkout", () => {
    const tools = installedTools(ROOT);
    expect(fs.existsSync(tools.prebuildInstall)).toBe(true);
    expect(fs.existsSync(tools.nodeGyp)).toBe(true);
    const electron = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "electron", "package.json"), "utf8")) as { version: string };
    expect(installedTarget(ROOT)).toEqual({ ...runningTarget(electron.version), platform: process.platform, arch: process.arch });
    expect(electronAbi(ROOT)).toMatch(/^\d+$/);
    // What the build's check reads: node_modules' binary is Node's.
    expect(moduleAbi(fs.readFileSync(INSTALLED_BINARY))).toBe(process.versions.modules);
  });

  describe("in a checkout", () => {
    function checkout(electron = "45.5.0"): string {
      const root = tempDir();
      writeFiles(root, {
        "node_modules/electron/package.json": JSON.stringify({ name: "electron", version: electron }),
        "node_modules/electron/abi_version": "150",
        "node_modules/better-sqlite3/package.json": JSON.stringify({ name: "better-sqlite3", version: "12.11.1" }),
        "node_modules/better-sqlite3/binding.gyp": "{}",
        "node_modules/better-sqlite3/src/better_sqlite3.cpp": "// source",
        "node_modules/better-sqlite3/build/Release/better_sqlite3.node": binaryFor(process.versions.modules),
      });
      return root;
    }

    /** Builds as the real steps would, into build/Release under the step's folder; the download finds nothing. */
    function builder(abi = "150") {
      const steps: Step[] = [];
      const sawBuild: boolean[] = [];
      const run = (step: Step) => {
        steps.push(step);
        sawBuild.push(fs.existsSync(path.join(step.cwd, "build")));
        if (step.args[0] === TOOLS.prebuildInstall) return false;
        writeFiles(step.cwd, { [`build/Release/${BINDING_FILE}`]: binaryFor(abi) });
        return true;
      };
      return { steps, sawBuild, run };
    }

    it("builds into the cache, leaves node_modules' build for Node as it was, and then does nothing until Electron changes", () => {
      const root = checkout();
      const nodeBuild = fs.readFileSync(path.join(root, "node_modules/better-sqlite3/build/Release", BINDING_FILE));
      const first = builder();
      expect(ensureNativeBuild(root, { run: first.run, tools: TOOLS, log: () => {} })).toBe("built");
      expect(first.steps.map((s) => s.cwd)).toEqual([path.join(root, NATIVE_DIR, "better-sqlite3"), path.join(root, NATIVE_DIR, "better-sqlite3")]);
      // Each step starts without node_modules' build, which would otherwise pass for a result.
      expect(first.sawBuild).toEqual([false, false]);
      const dir = path.join(root, NATIVE_DIR);
      expect(moduleAbi(fs.readFileSync(path.join(dir, BINDING_FILE)))).toBe("150");
      expect(readBuild(dir)).toEqual({ ...TARGET, platform: process.platform, arch: process.arch });
      expect(fs.readFileSync(path.join(root, "node_modules/better-sqlite3/build/Release", BINDING_FILE))).toEqual(nodeBuild);
      expect(fs.readdirSync(dir).sort()).toEqual([BINDING_FILE, BUILD_FILE].sort());

      const again = builder();
      expect(ensureNativeBuild(root, { run: again.run, tools: TOOLS, log: () => {} })).toBe("current");
      expect(again.steps).toEqual([]);

      writeFiles(root, { "node_modules/electron/package.json": JSON.stringify({ name: "electron", version: "46.0.0" }) });
      const upgraded = builder();
      expect(ensureNativeBuild(root, { run: upgraded.run, tools: TOOLS, log: () => {} })).toBe("built");
      expect(upgraded.steps).toHaveLength(2);
      expect(readBuild(dir)?.electron).toBe("46.0.0");
    });

    it("refuses a build made for another ABI, as a compile against Node's headers is, and keeps no note of it", () => {
      const root = checkout();
      const wrong = builder(process.versions.modules);
      const log: string[] = [];
      expect(() => ensureNativeBuild(root, { run: wrong.run, tools: TOOLS, log: (line) => log.push(line) })).toThrow(
        /could not be built for Electron 45\.5\.0: .*Electron's headers .*Python 3, make and a C\+\+ compiler/,
      );
      expect(log).toContainEqual(expect.stringContaining(`for ABI ${process.versions.modules}, not Electron's 150`));
      expect(readBuild(path.join(root, NATIVE_DIR))).toBeUndefined();
    });
  });
});

describe("npm start's Node check (scripts/preflight.mjs)", () => {
  /** Runs the preflight in a checkout whose Electron asks for `engines` and, if `downloaded`, is there already. */
  function preflight(electron: { engines?: string; downloaded?: boolean } | null) {
    const root = tempDir();
    writeFiles(root, { "scripts/preflight.mjs": fs.readFileSync(path.join(ROOT, "scripts", "preflight.mjs")) });
    if (electron) {
      writeFiles(root, { "node_modules/electron/package.json": JSON.stringify({ version: "45.5.0", engines: electron.engines ? { node: electron.engines } : undefined }) });
      if (electron.downloaded) writeFiles(root, { "node_modules/electron/path.txt": "electron", "node_modules/electron/dist/electron": "" });
    }
    const env = { ...process.env };
    delete env.ELECTRON_OVERRIDE_DIST_PATH;
    const result = spawnSync(process.execPath, [path.join(root, "scripts", "preflight.mjs")], { encoding: "utf8", env });
    return { code: result.status, stderr: result.stderr };
  }

  it("passes on a Node at least as new as Electron's installer needs", () => {
    expect(preflight({ engines: ">= 1.0.0" })).toEqual({ code: 0, stderr: "" });
  });

  it("explains, in one message, which Node the first start needs and why", () => {
    const { code, stderr } = preflight({ engines: ">= 99.1.0" });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([
      `Sourcebook: \`npm start\` needs Node.js 99.1.0 or newer, and this is Node.js ${process.versions.node}. The first start downloads Electron 45.5.0, and Electron's installer does not run on older versions of Node. Install Node.js 99.1.0 or newer, then run \`npm start\` again.`,
    ]);
    expect(preflight({ engines: ">=99" }).stderr).toContain("needs Node.js 99.0.0 or newer");
  });

  it("lets an older Node start an Electron that is downloaded already", () => {
    expect(preflight({ engines: ">= 99.1.0", downloaded: true })).toEqual({ code: 0, stderr: "" });
  });

  it("says to run npm install first when the dependencies are missing", () => {
    expect(preflight(null)).toEqual({ code: 1, stderr: "Sourcebook: the dependencies are not installed: run `npm install` first, then `npm start` again.\n" });
  });
});
