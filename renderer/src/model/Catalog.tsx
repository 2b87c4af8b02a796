// Catalog models: download with progress and cancel, then load. Progress events reach every
// window, so a download started elsewhere (or before this page opened) shows up here too.
import { useCallback, useEffect, useId, useState, type ReactNode } from "react";
import type { CatalogEntry } from "../../../shared/api.js";
import { call, useEvent } from "../api.js";
import { useLanguage, useT } from "../i18n/index.js";
import "../i18n/embeddings.js";
import "../i18n/model.js";
import { describeError, formatBytes, messageOf } from "../ui/format.js";
import { ProgressBar } from "../ui/ProgressBar.js";
import { useLoadModel } from "./model-status.js";

interface Download {
  downloadId: string | null;
  downloadedBytes: number;
  totalBytes: number;
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

/**
 * Answering models (and any other .gguf in the models folder), or the embedding models for search
 * by meaning: a downloaded one is loaded, or made the library's embedding model.
 */
export function Catalog({ purpose = "answer", inUse = null }: { purpose?: "answer" | "embedding"; inUse?: string | null }): ReactNode {
  const t = useT();
  const language = useLanguage();
  const loadAnswering = useLoadModel();
  const load = purpose === "embedding" ? (modelPath: string) => call("embeddings.useModel", { modelPath }) : loadAnswering;
  const [entries, setEntries] = useState<CatalogEntry[] | null>(null);
  const [downloads, setDownloads] = useState<Record<string, Download>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [listError, setListError] = useState<string | null>(null);
  const [loading, setLoading] = useState<string | null>(null);
  const titleId = useId();

  const refresh = useCallback(() => {
    call("models.catalog", {})
      // An embedding model loaded to answer would fail (it has no chat template), and the reverse makes no vectors.
      .then((all) => setEntries(all.filter((entry) => (purpose === "embedding" ? entry.purpose === "embedding" : entry.purpose !== "embedding"))))
      .catch((cause: unknown) => setListError(messageOf(cause, language)));
  }, [purpose]);
  useEffect(refresh, [refresh]);

  const setError = (name: string, message: string | null) =>
    setErrors((current) => (message === null ? without(current, name) : { ...current, [name]: message }));
  const forget = (name: string) => setDownloads((current) => without(current, name));

  useEvent("models.downloadProgress", ({ downloadId, name, downloadedBytes, totalBytes }) =>
    setDownloads((current) => ({ ...current, [name]: { downloadId, downloadedBytes, totalBytes } })),
  );
  useEvent("models.downloadDone", ({ name, error }) => {
    forget(name);
    // Cancelling was the person's own choice: nothing to report.
    setError(name, error && error.code !== "DOWNLOAD_CANCELLED" ? t("catalog.failed", { message: describeError(error, language) }) : null);
    refresh();
  });

  const download = async (name: string) => {
    setError(name, null);
    setDownloads((current) => ({ ...current, [name]: { downloadId: null, downloadedBytes: 0, totalBytes: 0 } }));
    try {
      const { downloadId } = await call("models.download", { name });
      setDownloads((current) => (current[name] ? { ...current, [name]: { ...current[name], downloadId } } : current));
    } catch (cause) {
      forget(name);
      setError(name, messageOf(cause, language));
    }
  };
  const cancel = (downloadId: string) => void call("models.cancelDownload", { downloadId }).catch(() => {});
  const loadEntry = async (entry: CatalogEntry) => {
    if (!entry.path) return;
    setLoading(entry.name);
    setError(entry.name, null);
    try {
      await load(entry.path);
    } catch (cause) {
      setError(entry.name, messageOf(cause, language));
    } finally {
      setLoading(null);
    }
  };

  return (
    <section className="catalog" aria-labelledby={titleId}>
      <h2 id={titleId}>{t(purpose === "embedding" ? "embed.catalogTitle" : "catalog.title")}</h2>
      <p className="view-intro">{t(purpose === "embedding" ? "embed.catalogIntro" : "catalog.intro")}</p>
      {listError && (
        <p className="error" role="alert">
          {listError}
        </p>
      )}
      {entries?.length === 0 && <p className="empty">{t("catalog.empty")}</p>}
      <ul className="catalog-list">
        {entries?.map((entry) => {
          const progress = downloads[entry.name];
          return (
            <li key={entry.name} className="catalog-entry" data-testid={purpose === "embedding" ? "embedding-catalog-entry" : "catalog-entry"}>
              <div className="catalog-info">
                <span className="catalog-name">{entry.name}</span>
                {entry.description && <span className="catalog-description">{entry.description}</span>}
                {entry.bytes !== null && <span className="catalog-size">{t("catalog.size", { size: formatBytes(entry.bytes, language) })}</span>}
              </div>
              <div className="catalog-actions">
                {progress ? (
                  <button
                    type="button"
                    className="button-quiet"
                    onClick={() => progress.downloadId && cancel(progress.downloadId)}
                    disabled={!progress.downloadId}
                    aria-label={`${t("catalog.cancel")}: ${entry.name}`}
                    data-testid="cancel-download"
                  >
                    {t("catalog.cancel")}
                  </button>
                ) : entry.path && purpose === "embedding" && entry.path === inUse ? (
                  <span className="badge status-indexed">{t("embed.inUse")}</span>
                ) : entry.path ? (
                  <>
                    <span className="badge status-indexed">{t("catalog.downloaded")}</span>
                    <button
                      type="button"
                      className="button"
                      onClick={() => void loadEntry(entry)}
                      disabled={loading !== null}
                      aria-label={`${t(purpose === "embedding" ? "embed.use" : "catalog.load")}: ${entry.name}`}
                      data-testid={purpose === "embedding" ? "use-embedding-model" : undefined}
                    >
                      {loading === entry.name ? t(purpose === "embedding" ? "embed.choosing" : "model.loading") : t(purpose === "embedding" ? "embed.use" : "catalog.load")}
                    </button>
                  </>
                ) : (
                  <button
                    type="button"
                    className="button"
                    onClick={() => void download(entry.name)}
                    aria-label={`${t("catalog.download")}: ${entry.name}`}
                    data-testid="download-model"
                  >
                    {t("catalog.download")}
                  </button>
                )}
              </div>
              {progress && (
                <ProgressBar
                  value={progress.totalBytes > 0 ? progress.downloadedBytes / progress.totalBytes : null}
                  label={t("catalog.progressLabel", { name: entry.name })}
                  text={progress.totalBytes > 0 ? t("catalog.progress", { done: formatBytes(progress.downloadedBytes, language), total: formatBytes(progress.totalBytes, language) }) : t("catalog.starting")}
                  testId="download-progress"
                />
              )}
              {errors[entry.name] && (
                <p className="error" role="alert">
                  {errors[entry.name]}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
