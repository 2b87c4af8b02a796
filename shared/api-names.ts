// The contract's names without its schemas: the sandboxed preload bundles this file, and it must
// stay free of zod. shared/api.ts re-exports all of it, and its methods and events are typed by
// these names, so a method or event the preload does not allow cannot be declared.

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
  "embeddings.status",
  "embeddings.useModel",
  "embeddings.useEndpoint",
  "embeddings.start",
  "embeddings.stop",
  "search.query",
  "search.run",
  "notes.read",
  "notes.pageImage",
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
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

export const EVENT_NAMES = [
  "index.progress",
  "embeddings.progress",
  "embeddings.status",
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
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** The IPC channel names, shared by the preload and main. */
export const IPC_INVOKE_CHANNEL = "sourcebook:invoke";
export const IPC_EVENT_CHANNEL = "sourcebook:event";
