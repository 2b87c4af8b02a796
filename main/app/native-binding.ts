// Which better-sqlite3 binary the desktop app opens its database with. `npm install` builds
// better-sqlite3 for Node, and the CLI and the tests use that build; Electron needs one for its own
// ABI. So `npm start` keeps a second build in NATIVE_DIR (scripts/electron-native.ts makes it), and a
// packaged app carries the one electron-builder rebuilt into the package (npmRebuild). Free of
// electron, so the choice is tested without it.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ApiFailure } from "../api/errors.js";

/** The Electron build's folder, relative to the app's own (the repository when unpackaged); .cache/ is git-ignored. */
export const NATIVE_DIR = path.join(".cache", "electron-native");
export const BINDING_FILE = "better_sqlite3.node";
/** What the binding beside it was built for; written only once the build has succeeded. */
export const BUILD_FILE = "build.json";

/** What a better-sqlite3 binary must have been built for to load. */
export interface NativeTarget {
  electron: string;
  betterSqlite3: string;
  platform: string;
  arch: string;
}

export function sameTarget(built: NativeTarget | undefined, wanted: NativeTarget): boolean {
  return (
    built !== undefined &&
    built.electron === wanted.electron &&
    built.betterSqlite3 === wanted.betterSqlite3 &&
    built.platform === wanted.platform &&
    built.arch === wanted.arch
  );
}

/** What the build in dir was made for; undefined when there is no binding there, or no readable note of it. */
export function readBuild(dir: string): NativeTarget | undefined {
  if (!fs.existsSync(path.join(dir, BINDING_FILE))) return undefined;
  let note: Partial<Record<keyof NativeTarget, unknown>>;
  try {
    note = JSON.parse(fs.readFileSync(path.join(dir, BUILD_FILE), "utf8")) as typeof note;
  } catch {
    return undefined;
  }
  const { electron, betterSqlite3, platform, arch } = note;
  if (typeof electron !== "string" || typeof betterSqlite3 !== "string" || typeof platform !== "string" || typeof arch !== "string") return undefined;
  return { electron, betterSqlite3, platform, arch };
}

const describe = (target: NativeTarget) => `Electron ${target.electron} and better-sqlite3 ${target.betterSqlite3} on ${target.platform}-${target.arch}`;

/**
 * The binding to hand better-sqlite3 (its nativeBinding option): none in a packaged app, which uses
 * the build in its package; the cached Electron build otherwise. A build that is missing or made for
 * another target would fail to load with an ABI error that names no remedy; this one names it.
 */
export function selectNativeBinding(run: { packaged: boolean; appPath: string; target: NativeTarget }, built: NativeTarget | undefined): string | undefined {
  if (run.packaged) return undefined;
  const dir = path.join(run.appPath, NATIVE_DIR);
  if (built === undefined) throw new ApiFailure("INTERNAL", `There is no build of better-sqlite3 for Electron in ${dir}. Start Sourcebook with \`npm start\`, which makes it.`);
  if (!sameTarget(built, run.target)) {
    throw new ApiFailure("INTERNAL", `The build of better-sqlite3 in ${dir} is for ${describe(built)}, not ${describe(run.target)}. \`npm start\` builds it again.`);
  }
  return path.join(dir, BINDING_FILE);
}

/** better-sqlite3 as installed next to this app, for the Electron running it. */
export function runningTarget(electron: string): NativeTarget {
  const { version } = createRequire(import.meta.url)("better-sqlite3/package.json") as { version: string };
  return { electron, betterSqlite3: version, platform: process.platform, arch: process.arch };
}

/** selectNativeBinding for this process: what main/app/index.ts opens the library with. */
export function nativeBinding(packaged: boolean, appPath: string, electron: string): string | undefined {
  if (packaged) return undefined;
  return selectNativeBinding({ packaged, appPath, target: runningTarget(electron) }, readBuild(path.join(appPath, NATIVE_DIR)));
}
