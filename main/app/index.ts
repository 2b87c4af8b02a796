import { app, BrowserWindow } from "electron";
import path from "node:path";

// A minimal shell: the hardened window, protocol and IPC come with the desktop app issue.
function createWindow(): void {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  void window.loadFile(path.join(app.getAppPath(), "renderer", "dist", "index.html"));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(createWindow);
  app.on("window-all-closed", () => app.quit());
}
