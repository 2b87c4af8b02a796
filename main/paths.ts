import os from "node:os";
import path from "node:path";

/**
 * The per-user data directory, the same one Electron's app.getPath("userData") gives for
 * productName "Sourcebook", so the CLI and the desktop app share one library.
 */
export function userDataDir(): string {
  const home = os.homedir();
  switch (process.platform) {
    case "darwin":
      return path.join(home, "Library", "Application Support", "Sourcebook");
    case "win32":
      return path.join(process.env.APPDATA ?? path.join(home, "AppData", "Roaming"), "Sourcebook");
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, ".config"), "Sourcebook");
  }
}

/** The desktop app's own library. */
export function ownDbPath(): string {
  return path.join(userDataDir(), "library.db");
}

export function defaultDbPath(): string {
  return process.env.SOURCEBOOK_DB || ownDbPath();
}
