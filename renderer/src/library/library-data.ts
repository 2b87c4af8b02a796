// Folders and files as main reports them, refetched when the library changes. Changes come in
// bursts while indexing, so refreshes never overlap: one more runs after the current if needed.
import { useCallback, useEffect, useRef, useState } from "react";
import type { FileStatus, FolderStatus } from "../../../shared/library.js";
import { call, useEvent } from "../api.js";
import { useLanguage } from "../i18n/index.js";
import { messageOf } from "../ui/format.js";

export interface LibraryData {
  folders: FolderStatus[] | null;
  files: FileStatus[];
  error: string | null;
  refresh(): void;
}

export function useLibraryData(): LibraryData {
  const [folders, setFolders] = useState<FolderStatus[] | null>(null);
  const [files, setFiles] = useState<FileStatus[]>([]);
  const language = useLanguage();
  // The failure itself, described when shown, in the language of that moment.
  const [failure, setFailure] = useState<unknown>(null);
  const flags = useRef({ running: false, again: false, mounted: true });

  const refresh = useCallback(() => {
    const state = flags.current;
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    void (async () => {
      do {
        state.again = false;
        try {
          const [nextFolders, nextFiles] = await Promise.all([call("library.folders", {}), call("library.files", {})]);
          if (!state.mounted) break;
          setFolders(nextFolders);
          setFiles(nextFiles);
          setFailure(null);
        } catch (cause) {
          if (state.mounted) setFailure(cause);
        }
      } while (state.again && state.mounted);
      state.running = false;
    })();
  }, []);

  useEffect(() => {
    flags.current.mounted = true;
    refresh();
    return () => {
      flags.current.mounted = false;
    };
  }, [refresh]);
  useEvent("library.changed", refresh);
  useEvent("index.progress", (progress) => {
    if (progress.phase === "done") refresh();
  });

  return { folders, files, error: failure === null ? null : messageOf(failure, language), refresh };
}
