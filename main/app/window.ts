// The one window, hardened along Electron's security checklist: the renderer shows untrusted notes
// and model output, so it gets no Node, an isolated and sandboxed preload, no navigation, no new
// windows and no permissions.
import { BrowserWindow, nativeTheme, shell, type Session, type WebContents } from "electron";
import { APP_ENTRY_URL, isWebUrl } from "./urls.js";
import { rememberWindowState, restoreWindowState } from "./window-state.js";
import { MIN_HEIGHT, MIN_WIDTH } from "./window-bounds.js";

/** Applied to every webContents the app ever creates (app "web-contents-created"), not only ours. */
export function guardWebContents(contents: WebContents): void {
  // The page never leaves app://: links are opened through app.openExternal, which checks them.
  contents.on("will-navigate", (event) => event.preventDefault());
  contents.on("will-redirect", (event) => event.preventDefault());
  contents.on("will-attach-webview", (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Only web links reach the browser; file:, custom schemes and the rest are dropped.
    if (isWebUrl(url)) {
      shell.openExternal(url).catch((error: unknown) => console.error(`Could not open ${url}:`, error)); // eng-disable OPEN_EXTERNAL_JS_CHECK: isWebUrl admits http(s) only
    }
    return { action: "deny" };
  });
}

/** Sourcebook asks for no permission (camera, notifications, clipboard reads, …): every request and check is refused. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export function createMainWindow(preload: string): BrowserWindow {
  const { maximized, ...bounds } = restoreWindowState();
  const window = new BrowserWindow({
    ...bounds,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    title: "Sourcebook",
    backgroundColor: nativeTheme.shouldUseDarkColors ? "#1e1e1e" : "#ffffff",
    webPreferences: {
      preload, // eng-disable PRELOAD_JS_CHECK: preload.ts exposes only invoke/on for the contract's names, never ipcRenderer
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click would otherwise try to open links in new windows.
      disableBlinkFeatures: "Auxclick",
    },
  });
  if (maximized) window.maximize();
  rememberWindowState(window);
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => console.error("Sourcebook's window could not load its page:", error));
  return window;
}
