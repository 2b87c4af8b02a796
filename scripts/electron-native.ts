// `npm start`'s build of better-sqlite3 for Electron, kept in .cache/electron-native beside
// node_modules' build for Node, so that `npm test` and the CLI go on working whatever ran last
// (main/app/native-binding.ts picks it). It builds only when the cached build is missing or was made
// for another Electron, better-sqlite3, platform or architecture.
//
//   tsx scripts/electron-native.ts
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BINDING_FILE, BUILD_FILE, NATIVE_DIR, readBuild, sameTarget, type NativeTarget } from "../main/app/native-binding.js";

/** Where node-gyp gets Electron's headers, as @electron/rebuild does when electron-builder packages. */
export const ELECTRON_HEADERS = "https://www.electronjs.org/headers";

export interface Step {
  /** What the step does, for the log. */
  what: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface Tools {
  node: string;
  /** better-sqlite3's own downloader of prebuilt binaries. */
  prebuildInstall: string;
  nodeGyp: string;
  /** Where node-gyp keeps Electron's headers: @electron/rebuild's folder, so packaging finds them too. */
  headersDir: string;
}

/** Whether the cached build must be made (again). */
export function needsBuild(built: NativeTarget | undefined, wanted: NativeTarget): boolean {
  return !sameTarget(built, wanted);
}

/**
 * How to build better-sqlite3 for Electron in `source`, a copy of the package: each step writes
 * build/Release under its working folder, and node_modules' own build is Node's. As better-sqlite3's
 * install script does for Node: Electron's prebuilt binary when one is published, else a compile.
 */
export function buildSteps(target: NativeTarget, source: string, tools: Tools, env: NodeJS.ProcessEnv = process.env): Step[] {
  // npm hands its config to scripts as npm_config_*; a nodedir there (set for installing without
  // downloads) would make node-gyp compile against Node's headers, whatever the target.
  const clean = Object.fromEntries(Object.entries(env).filter(([name]) => name.toLowerCase() !== "npm_config_nodedir"));
  return [
    {
      what: `download better-sqlite3's prebuilt binary for Electron ${target.electron}`,
      command: tools.node,
      args: [tools.prebuildInstall, "--runtime=electron", `--target=${target.electron}`, `--platform=${target.platform}`, `--arch=${target.arch}`],
      cwd: source,
      env: clean,
    },
    {
      what: `compile better-sqlite3 against Electron ${target.electron}'s headers`,
      command: tools.node,
      args: [tools.nodeGyp, "rebuild", "--release", `--target=${target.electron}`, `--arch=${target.arch}`, `--dist-url=${ELECTRON_HEADERS}`, `--devdir=${tools.headersDir}`],
      cwd: source,
      env: clean,
    },
  ];
}

function packageVersion(root: string, name: string): string {
  const file = path.join(root, "node_modules", name, "package.json");
  try {
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    throw new Error(`${name} is not installed (${file} cannot be read): run \`npm install\` first.`);
  }
}

/**
 * The Node ABI a native module was compiled for, from the symbol Node's module macros export
 * (node_register_module_v115 for Node 20, v150 for Electron 45); undefined when it names none
 * (a Node-API module, which does not depend on it).
 */
export function moduleAbi(binary: Buffer): string | undefined {
  return /node_register_module_v(\d+)/.exec(binary.toString("latin1"))?.[1];
}

/** The ABI of the installed Electron, from the abi_version file its package carries. */
export function electronAbi(root: string): string | undefined {
  try {
    return fs.readFileSync(path.join(root, "node_modules", "electron", "abi_version"), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** What the installed Electron needs of the installed better-sqlite3, on this machine. */
export function installedTarget(root: string): NativeTarget {
  return { electron: packageVersion(root, "electron"), betterSqlite3: packageVersion(root, "better-sqlite3"), platform: process.platform, arch: process.arch };
}

/** The tools as installed: prebuild-install beside better-sqlite3, node-gyp through electron-builder (or npm's own). */
export function installedTools(root: string): Tools {
  const fromSqlite = createRequire(path.join(root, "node_modules", "better-sqlite3", "package.json"));
  const fromRoot = createRequire(path.join(root, "package.json"));
  return {
    node: process.execPath,
    prebuildInstall: fromSqlite.resolve("prebuild-install/bin.js"),
    nodeGyp: process.env.npm_config_node_gyp ?? fromRoot.resolve("node-gyp/bin/node-gyp.js"),
    headersDir: path.join(os.homedir(), ".electron-gyp"),
  };
}

/** Runs a step with its output on the terminal; true when it succeeded. */
export type Runner = (step: Step) => boolean;

const runStep: Runner = (step) => spawnSync(step.command, step.args, { cwd: step.cwd, env: step.env, stdio: "inherit" }).status === 0;

export interface EnsureOptions {
  run?: Runner;
  tools?: Tools;
  log?: (line: string) => void;
}

/** Makes the cached Electron build of better-sqlite3 unless it is current; says which happened. */
export function ensureNativeBuild(root: string, options: EnsureOptions = {}): "current" | "built" {
  const { run = runStep, log = (line) => console.log(line) } = options;
  const dir = path.join(root, NATIVE_DIR);
  const wanted = installedTarget(root);
  if (!needsBuild(readBuild(dir), wanted)) return "current";

  const installed = path.join(root, "node_modules", "better-sqlite3");
  const source = path.join(dir, "better-sqlite3");
  fs.rmSync(source, { recursive: true, force: true });
  // Without node_modules' build/, Node's: every step starts from no build at all.
  fs.cpSync(installed, source, { recursive: true, filter: (from) => path.relative(installed, from).split(path.sep)[0] !== "build" });
  const output = path.join(source, "build", "Release", BINDING_FILE);
  const tools = options.tools ?? installedTools(root);
  const abi = electronAbi(root);
  for (const step of buildSteps(wanted, source, tools)) {
    log(`Sourcebook: ${step.what}…`);
    fs.rmSync(path.join(source, "build"), { recursive: true, force: true });
    if (!run(step) || !fs.existsSync(output)) continue;
    const built = moduleAbi(fs.readFileSync(output));
    if (abi !== undefined && built !== undefined && built !== abi) {
      log(`Sourcebook: that build is for ABI ${built}, not Electron's ${abi}, and is not used.`);
      continue;
    }
    // The note goes first and comes back last, so a build cut short is never taken for a finished one.
    fs.rmSync(path.join(dir, BUILD_FILE), { force: true });
    fs.copyFileSync(output, path.join(dir, `${BINDING_FILE}.partial`));
    fs.renameSync(path.join(dir, `${BINDING_FILE}.partial`), path.join(dir, BINDING_FILE));
    fs.writeFileSync(path.join(dir, BUILD_FILE), `${JSON.stringify(wanted, null, 2)}\n`);
    fs.rmSync(source, { recursive: true, force: true });
    return "built";
  }
  throw new Error(
    `better-sqlite3 ${wanted.betterSqlite3} could not be built for Electron ${wanted.electron}: no prebuilt binary could be downloaded, ` +
      `and compiling it needs Electron's headers (from ${ELECTRON_HEADERS} the first time), Python 3, make and a C++ compiler. See the output above.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  try {
    if (ensureNativeBuild(root) === "built") console.log(`Sourcebook: better-sqlite3 for Electron is in ${path.join(NATIVE_DIR, BINDING_FILE)}.`);
  } catch (error) {
    console.error(`Sourcebook: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
