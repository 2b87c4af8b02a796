// The Platform the API asks for (main/api/platform.ts), made of Electron's dialogs and shell.
import path from "node:path";
import { app, BrowserWindow, dialog, shell, type FileFilter, type OpenDialogOptions } from "electron";
import type { TranscriptFormat } from "../../shared/api.js";
import type { Platform } from "../api/platform.js";
import { isWebUrl } from "./urls.js";

const TRANSCRIPT_FILTERS: Record<TranscriptFormat, FileFilter> = {
  md: { name: "Markdown", extensions: ["md"] },
  html: { name: "Web page", extensions: ["html"] },
  json: { name: "Sourcebook transcript (JSON)", extensions: ["json"] },
};

/** Dialogs are sheets of the window the person is working in. */
function parentWindow(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

async function pickOne(options: OpenDialogOptions): Promise<string | null> {
  const parent = parentWindow();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

export function electronPlatform(): Platform {
  return {
    appVersion: app.getVersion(),
    osLanguage: app.getPreferredSystemLanguages()[0] ?? app.getLocale(),
    platform: process.platform,
    pickFolder: () => pickOne({ title: "Add a notes folder", properties: ["openDirectory", "createDirectory"] }),
    pickModelFile: () => pickOne({ title: "Choose a model", properties: ["openFile"], filters: [{ name: "GGUF model", extensions: ["gguf"] }] }),
    pickTranscriptFile: () => pickOne({ title: "Import a chat", properties: ["openFile"], filters: [TRANSCRIPT_FILTERS.json] }),
    async saveFile(defaultName, format) {
      const options = { title: "Export chat", defaultPath: path.join(app.getPath("documents"), defaultName), filters: [TRANSCRIPT_FILTERS[format]] };
      const parent = parentWindow();
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async openPath(file) {
      const error = await shell.openPath(file);
      if (error) throw new Error(`Could not open ${file}: ${error}`);
    },
    showItemInFolder: (file) => shell.showItemInFolder(file),
    async openExternal(url) {
      // The API checked it already; the shell keeps the rule too, being the last step before the OS.
      if (!isWebUrl(url)) throw new Error("Only http and https links open outside Sourcebook.");
      await shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK: isWebUrl admits http(s) only
    },
    async confirmEndpoint(url) {
      const options = {
        type: "question" as const,
        title: "Answer through another server?",
        message: `Send your questions, and the passages of your notes that match them, to ${url}?`,
        detail: "Sourcebook will answer through this server instead of the model on this computer. Choose it only if you trust the server.",
        buttons: ["Use this server", "Cancel"],
        defaultId: 1,
        cancelId: 1,
        noLink: true,
      };
      const parent = parentWindow();
      const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
      return response === 0;
    },
  };
}
