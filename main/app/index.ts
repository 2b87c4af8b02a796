// The desktop app's lifecycle: one instance, the app:// protocol, the window at once, the services
// in the background, a clean shutdown. Everything the app does lives in main/api and the services;
// this is only the window around them.
import path from "node:path";
import { app, BrowserWindow, Menu, session } from "electron";
import type { EventName, MenuCommand, Settings } from "../../shared/api.js";
import { createApi, type Api } from "../api/api.js";
import type { Platform } from "../api/platform.js";
import { userDataDir } from "../paths.js";
import { createServices } from "../services.js";
import { handleInvokes, sendEvent, watchClient } from "./ipc.js";
import { dialogLabels } from "./dialog-labels.js";
import { buildMenu } from "./menu.js";
import { menuLabels } from "./menu-labels.js";
import { nativeBinding } from "./native-binding.js";
import { electronPlatform } from "./platform.js";
import { electronSealer } from "./sealer.js";
import { registerAppScheme, serveRenderer } from "./protocol.js";
import { createMainWindow, denyPermissions, guardWebContents } from "./window.js";

const CLOSE_TIMEOUT_MS = 10_000;

/** Built next to this file by `npm run build:preload`. */
const PRELOAD = path.join(import.meta.dirname, "preload.cjs");

// The same folder as the CLI's (main/paths.ts), also when run unpackaged as `electron .`, whose
// name would otherwise come from package.json. Set first: the single-instance lock lives there.
app.setPath("userData", userDataDir());

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Every renderer sandboxed, whatever its webPreferences say (must precede ready).
  app.enableSandbox();
  registerAppScheme();
  run();
}

function run(): void {
  let window: BrowserWindow | null = null;
  let api: Promise<Api> | null = null;
  let platform: Platform | null = null;
  let closing = false;
  let closed = false;

  // The menu and the dialogs speak the UI's language: the OS's until the settings are read, then
  // the setting's, with "auto" read from the same OS language the renderer gets.
  let language: Settings["language"] = "auto";
  const osLanguage = () => platform?.osLanguage ?? app.getLocale();
  const labels = () => dialogLabels(language, osLanguage());
  const setLanguage = (chosen: Settings["language"]) => {
    language = chosen;
    Menu.setApplicationMenu(buildMenu(sendMenuCommand, menuLabels(chosen, osLanguage())));
  };

  const emit = (event: EventName, payload: unknown, clientId?: number) => {
    if (event === "settings.changed") setLanguage((payload as Settings).language);
    sendEvent(event, payload, clientId);
  };

  async function startApi(): Promise<Api> {
    // Let the window be created and shown before the database is opened and migrated.
    await new Promise((resolve) => setImmediate(resolve));
    // Unpackaged, better-sqlite3 comes from npm start's Electron build: node_modules' own is Node's.
    const services = createServices({ sealer: electronSealer(), nativeBinding: nativeBinding(app.isPackaged, app.getAppPath(), process.versions.electron) });
    const started = createApi({ services, platform: platform ?? electronPlatform(labels), emit });
    await started.start();
    const settings = await started.invoke("settings.get", {}, 0);
    if (settings.ok) setLanguage((settings.value as Settings).language);
    return started;
  }

  function showWindow(ready: Promise<Api>): void {
    // While quitting there are no windows, and one opened now would vanish with the app.
    if (closing) return;
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.focus();
      return;
    }
    const created = createMainWindow(PRELOAD);
    watchClient(created.webContents, ready);
    created.on("closed", () => {
      if (window === created) window = null;
    });
    window = created;
  }

  const sendMenuCommand = (command: MenuCommand) => {
    const target = BrowserWindow.getFocusedWindow() ?? window;
    if (target) emit("menu.command", { command }, target.webContents.id);
  };

  app.on("web-contents-created", (_event, contents) => guardWebContents(contents));

  void app.whenReady().then(() => {
    platform = electronPlatform(labels);
    denyPermissions(session.defaultSession);
    serveRenderer(path.join(app.getAppPath(), "renderer", "dist"));
    setLanguage("auto");

    // startApi yields before it opens the database, so the window below is up first; calls the
    // renderer makes before the services are ready wait for them.
    const ready = startApi();
    ready.catch((error: unknown) => console.error("Sourcebook could not start its services:", error));
    api = ready;
    handleInvokes(ready);
    showWindow(ready);

    app.on("second-instance", () => showWindow(ready));
    // macOS: clicking the dock icon with no window open brings one back.
    app.on("activate", () => showWindow(ready));
  });

  app.on("window-all-closed", () => {
    if (process.platform !== "darwin") app.quit();
  });

  // will-quit waits for api.close(): answers and downloads stop, indexing stops between files, the
  // database closes. A close that hangs (a model load llama.cpp will not interrupt) must not keep the app
  // alive: the database is in WAL mode, so exiting mid-write loses nothing committed.
  app.on("will-quit", (event) => {
    if (closed || api === null) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    const giveUp = setTimeout(() => {
      console.error(`Sourcebook did not close within ${CLOSE_TIMEOUT_MS / 1000} s; exiting.`);
      app.exit(1);
    }, CLOSE_TIMEOUT_MS);
    void api
      .then((started) => started.close())
      .catch((error: unknown) => console.error("Sourcebook did not close cleanly:", error))
      .finally(() => {
        clearTimeout(giveUp);
        closed = true;
        app.quit();
      });
  });
}
