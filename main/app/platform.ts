// The Platform the API asks for (main/api/platform.ts), made of Electron's dialogs and shell.
import path from "node:path";
import { app, BrowserWindow, dialog, shell, type FileFilter, type OpenDialogOptions } from "electron";
import type { TranscriptFormat } from "../../shared/api.js";
import type { Platform } from "../api/platform.js";
import type { DialogLabels } from "./dialog-labels.js";
import { isWebUrl } from "./urls.js";

function transcriptFilter(labels: DialogLabels, format: TranscriptFormat): FileFilter {
  const name = { md: labels.markdown, html: labels.webPage, json: labels.transcript }[format];
  return { name, extensions: [format] };
}

/** Dialogs are sheets of the window the person is working in. */
function parentWindow(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

async function pickOne(options: OpenDialogOptions): Promise<string | null> {
  const parent = parentWindow();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** The dialogs speak the UI's language: `labels` gives the words for it at the time each one opens. */
export function electronPlatform(labels: () => DialogLabels): Platform {
  return {
    appVersion: app.getVersion(),
    osLanguage: app.getPreferredSystemLanguages()[0] ?? app.getLocale(),
    platform: process.platform,
    pickFolder: () => pickOne({ title: labels().addFolder, properties: ["openDirectory", "createDirectory"] }),
    pickModelFile: () => pickOne({ title: labels().chooseModel, properties: ["openFile"], filters: [{ name: labels().ggufModel, extensions: ["gguf"] }] }),
    pickTranscriptFile: () => pickOne({ title: labels().importChat, properties: ["openFile"], filters: [transcriptFilter(labels(), "json")] }),
    async saveFile(defaultName, format) {
      const words = labels();
      const options = { title: words.exportChat, defaultPath: path.join(app.getPath("documents"), defaultName), filters: [transcriptFilter(words, format)] };
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
    async confirmEndpoint(url, purpose = "answers") {
      const words = labels();
      const embeddings = purpose === "embeddings";
      const options = {
        type: "question" as const,
        title: embeddings ? words.embeddingsTitle : words.endpointTitle,
        message: embeddings ? words.embeddingsMessage(url) : words.endpointMessage(url),
        detail: embeddings ? words.embeddingsDetail : words.endpointDetail,
        buttons: [words.useEndpoint, words.cancel],
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
