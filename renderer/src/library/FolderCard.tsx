// One library folder: its counts, its ignore patterns, re-index, and remove behind a confirmation.
import { useId, useState, type ReactNode } from "react";
import type { FolderStatus, IndexSummary } from "../../../shared/library.js";
import { call } from "../api.js";
import { useT } from "../i18n/index.js";
import { useAction } from "../ui/use-action.js";
import { visibleText } from "../ui/visible-text.js";

export function summaryText(t: ReturnType<typeof useT>, summary: IndexSummary): string {
  return t("library.summary", {
    seconds: (summary.ms / 1000).toFixed(1),
    indexed: summary.indexed,
    unchanged: summary.unchanged,
    skipped: summary.skipped.length,
    failed: summary.failed.length,
  });
}

const patternsText = (patterns: string[]) => patterns.join("\n");

export function FolderCard({ folder, onChanged }: { folder: FolderStatus; onChanged(): void }): ReactNode {
  const t = useT();
  const helpId = useId();
  const [patterns, setPatterns] = useState(() => patternsText(folder.ignorePatterns));
  const { busy, message, run } = useAction<"saving" | "reindexing" | "removing">(onChanged);
  const [confirming, setConfirming] = useState(false);

  const shownPath = visibleText(folder.path);
  const stored = patternsText(folder.ignorePatterns);
  // Follow what main stored, unless the person is in the middle of editing.
  const [lastStored, setLastStored] = useState(stored);
  if (stored !== lastStored) {
    setLastStored(stored);
    if (patterns === lastStored) setPatterns(stored);
  }

  const save = () =>
    run("saving", async () => {
      const ignorePatterns = patterns
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean);
      const summary = await call("library.configureFolder", { path: folder.path, ignorePatterns });
      return t("library.ignoreSaved", { count: summary.indexed, indexed: summary.indexed, unchanged: summary.unchanged });
    });
  const reindex = () => run("reindexing", async () => summaryText(t, await call("library.reindex", { folders: [folder.path] })));
  const remove = () =>
    run("removing", async () => {
      await call("library.removeFolder", { path: folder.path });
      return null;
    });

  return (
    <li className="folder-card" data-testid="folder">
      <div className="folder-head">
        <div className="folder-name">
          <span className="folder-path" title={shownPath}>
            {shownPath}
          </span>
          <span className="folder-counts">
            {t("library.folderCounts", { indexed: folder.indexed, skipped: folder.skipped, failed: folder.failed, chunks: folder.chunks })}
          </span>
        </div>
        <div className="folder-actions">
          <button type="button" className="button-quiet" onClick={reindex} disabled={busy !== null} aria-label={`${t("library.reindex")}: ${shownPath}`}>
            {busy === "reindexing" ? t("library.reindexing") : t("library.reindex")}
          </button>
          {!confirming && (
            <button type="button" className="button-quiet" onClick={() => setConfirming(true)} disabled={busy !== null} aria-label={`${t("library.remove")}: ${shownPath}`}>
              {t("library.remove")}
            </button>
          )}
        </div>
      </div>
      {confirming && (
        <div className="folder-confirm" role="group" aria-label={t("library.removeConfirm", { path: shownPath })}>
          <p>{t("library.removeConfirm", { path: shownPath })}</p>
          <button type="button" className="button button-danger" onClick={remove} disabled={busy !== null} data-testid="remove-folder-confirm">
            {t("library.removeYes")}
          </button>
          <button type="button" className="button-quiet" onClick={() => setConfirming(false)} autoFocus>
            {t("library.removeNo")}
          </button>
        </div>
      )}
      <details className="folder-ignore">
        <summary>
          {t("library.ignore")} ({folder.ignorePatterns.length})
        </summary>
        <textarea
          aria-label={t("library.ignoreLabel", { path: shownPath })}
          aria-describedby={helpId}
          value={patterns}
          onChange={(event) => setPatterns(event.target.value)}
          rows={Math.min(10, Math.max(3, patterns.split("\n").length + 1))}
          spellCheck={false}
          data-testid="ignore-patterns"
        />
        <p id={helpId} className="field-help">
          {t("library.ignoreHelp")}
        </p>
        <button type="button" className="button" onClick={save} disabled={busy !== null || patterns === stored} data-testid="save-ignore">
          {t("library.ignoreSave")}
        </button>
      </details>
      {message && (
        <p className={message.error ? "error" : "folder-message"} role={message.error ? "alert" : "status"}>
          {message.text}
        </p>
      )}
    </li>
  );
}
