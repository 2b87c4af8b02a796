import path from "node:path";
import { Library, type LibraryOptions } from "./library/library.js";
import { ModelHost } from "./llm/host.js";
import { defaultDbPath } from "./paths.js";

export interface ServicesOptions extends LibraryOptions {
  /** The library database; defaults to the per-user one (SOURCEBOOK_DB overrides it). */
  dbPath?: string;
}

export interface Services {
  library: Library;
  /** The local model; loading one is up to the front end. */
  models: ModelHost;
  close(): Promise<void>;
}

/** The composition root: the desktop shell, the CLI and the tests all build their services here. */
export function createServices(options: ServicesOptions = {}): Services {
  const library = Library.open(path.resolve(options.dbPath ?? defaultDbPath()), options);
  const models = new ModelHost();
  return {
    library,
    models,
    close: async () => {
      await models.close();
      await library.close();
    },
  };
}
