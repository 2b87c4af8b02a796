// First-run step 1: pick the notes folder and watch it being indexed.
import { useState, type ReactNode } from "react";
import type { IndexProgress } from "../../../shared/library.js";
import { useLanguage, useT } from "../i18n/index.js";
import { IndexProgressBar } from "../library/IndexProgressBar.js";
import { pickAndAddFolder } from "../library/LibraryView.js";
import { messageOf } from "../ui/format.js";
import { visibleText } from "../ui/visible-text.js";

export interface FolderStepProps {
  folders: string[];
  onAdded(path: string): void;
  progress: IndexProgress | null;
}

export function FolderStep({ folders, onAdded, progress }: FolderStepProps): ReactNode {
  const t = useT();
  const language = useLanguage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      const path = await pickAndAddFolder();
      if (path) onAdded(path);
    } catch (cause) {
      setError(messageOf(cause, language));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <p className="view-intro">{t("firstrun.folderIntro")}</p>
      <div className="view-actions">
        <button type="button" className={folders.length ? "button" : "button button-primary"} onClick={() => void add()} disabled={busy} data-testid="add-folder">
          {busy ? t("library.adding") : folders.length ? t("firstrun.addAnother") : t("library.addFolder")}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {folders.length > 0 && (
        <div className="first-run-folders">
          <p>{t("firstrun.folderAdded")}</p>
          <ul>
            {folders.map((folder) => (
              <li key={folder} className="folder-path">
                {visibleText(folder)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {progress && <IndexProgressBar progress={progress} />}
      {folders.length > 0 && progress?.phase !== "done" && <p className="field-help">{t("firstrun.folderHint")}</p>}
    </>
  );
}
