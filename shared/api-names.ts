// The contract's names without its schemas: the sandboxed preload bundles this file, and it must
// stay free of zod. shared/api.ts re-exports all of it; test/unit/api-names.test.ts keeps the lists
// equal to the contract's methods and events.
import type { EventName, MethodName } from "./api.js";

export const METHOD_NAMES = [
  "app.info",
  "app.openExternal",
  "settings.get",
  "settings.set",
  "library.folders",
  "library.pickFolder",
  "library.addFolder",
  "library.removeFolder",
  "library.configureFolder",
  "library.reindex",
  "library.files",
  "search.query",
  "notes.read",
  "notes.open",
  "notes.showInFolder",
  "chat.ask",
  "chat.regenerate",
  "chat.cancel",
  "conversations.list",
  "conversations.get",
  "conversations.rename",
  "conversations.delete",
  "conversations.export",
  "conversations.import",
  "models.status",
  "models.pickFile",
  "models.load",
  "models.unload",
  "models.catalog",
  "models.download",
  "models.cancelDownload",
] as const satisfies readonly MethodName[];

export const EVENT_NAMES = [
  "index.progress",
  "library.changed",
  "models.status",
  "models.downloadProgress",
  "models.downloadDone",
  "chat.selected",
  "chat.delta",
  "chat.done",
  "chat.error",
  "conversations.changed",
  "settings.changed",
  "menu.command",
] as const satisfies readonly EventName[];

/** The IPC channel names, shared by the preload and main. */
export const IPC_INVOKE_CHANNEL = "sourcebook:invoke";
export const IPC_EVENT_CHANNEL = "sourcebook:event";
