// The library page: folders, indexing progress, and what happened to every file.
import type { ReactNode } from "react";
import { call } from "../api.js";
import { useT } from "../i18n/index.js";
import "../i18n/library.js";
import "../styles/library.css";
import "../styles/views.css";
import { useAction } from "../ui/use-action.js";
import { EmbeddingStatus } from "../embeddings/EmbeddingStatus.js";
import { FileTable } from "./FileTable.js";
import { FolderCard, summaryText } from "./FolderCard.js";
import { IndexProgressBar, useIndexProgress } from "./IndexProgressBar.js";
import { useLibraryData } from "./library-data.js";

/** Opens the folder picker and adds what was picked; null when the person cancelled. */
export async function pickAndAddFolder(): Promise<string | null> {
  const path = await call("library.pickFolder", {});
  if (!path) return null;
  return (await call("library.addFolder", { path })).path;
}

export function LibraryView(): ReactNode {
  const t = useT();
  const { folders, files, error, refresh } = useLibraryData();
  const progress = useIndexProgress();
  const { busy, message, run } = useAction<"adding" | "reindexing">(refresh);
  const add = () =>
    run("adding", async () => {
      await pickAndAddFolder();
    });
  const reindexAll = () => run("reindexing", async () => summaryText(t, await call("library.reindex", {})));

  return (
    <div className="library-view">
      <header className="view-header">
        <h1>{t("library.title")}</h1>
        <p className="view-intro">{t("library.intro")}</p>
        <div className="view-actions">
          <button type="button" className="button button-primary" onClick={add} disabled={busy !== null} data-testid="add-folder">
            {busy === "adding" ? t("library.adding") : t("library.addFolder")}
          </button>
          {folders && folders.length > 0 && (
            <button type="button" className="button-quiet" onClick={reindexAll} disabled={busy !== null} data-testid="reindex-all">
              {busy === "reindexing" ? t("library.reindexing") : t("library.reindexAll")}
            </button>
          )}
        </div>
      </header>
      {progress && <IndexProgressBar progress={progress} />}
      {(message ?? error) && (
        <p className={message && !message.error ? "library-message" : "error"} role={message && !message.error ? "status" : "alert"}>
          {message?.text ?? error}
        </p>
      )}
      <section aria-labelledby="library-folders">
        <h2 id="library-folders">{t("library.folders")}</h2>
        {folders && folders.length === 0 && <p className="empty">{t("library.noFolders")}</p>}
        <ul className="folder-list">
          {folders?.map((folder) => <FolderCard key={folder.path} folder={folder} onChanged={refresh} />)}
        </ul>
      </section>
      {folders && folders.length > 0 && <EmbeddingStatus />}
      <FileTable files={files} />
    </div>
  );
}
