// The library page's part about search by meaning: the embedding model, how much of the library
// it covers, a run's progress, and starting or stopping one.
import { useId, type ReactNode } from "react";
import { call } from "../api.js";
import { useLanguage, useT } from "../i18n/index.js";
import "../i18n/embeddings.js";
import "../styles/embeddings.css";
import { formatNumber } from "../ui/format.js";
import { ProgressBar } from "../ui/ProgressBar.js";
import { useAction } from "../ui/use-action.js";
import { visibleText } from "../ui/visible-text.js";
import { useEmbeddings, type EmbeddingsState } from "./embeddings-data.js";

/** "bge-m3 (1024 dimensions), /path/to/file.gguf", or the endpoint it is reached at. */
/** `hint`: where to choose one, for the pages that cannot. */
export function EmbeddingModelLine({ state, hint = false }: { state: EmbeddingsState; hint?: boolean }): ReactNode {
  const t = useT();
  const model = state.view?.model;
  if (!model) return <p className="empty" data-testid="embedding-model">{hint ? `${t("embed.none")} ${t("embed.noneHint")}` : t("embed.none")}</p>;
  const vars = { name: visibleText(model.name), dims: model.dims, location: visibleText(model.location) };
  return (
    <p data-testid="embedding-model">
      <strong>{t("embed.model")}:</strong> {t(model.kind === "local" ? "embed.modelLocal" : "embed.modelRemote", vars)}
    </p>
  );
}

export function EmbeddingStatus(): ReactNode {
  const t = useT();
  const language = useLanguage();
  const state = useEmbeddings();
  const { view, progress } = state;
  const { busy, message, run } = useAction<"starting" | "stopping">(state.refresh);
  const titleId = useId();
  const n = (value: number) => formatNumber(value, language);
  const running = view?.running || progress?.phase === "embedding";
  const counts = view ? { embedded: n(view.embedded), total: n(view.total) } : null;
  return (
    <section aria-labelledby={titleId} className="embedding-status" data-testid="embedding-status">
      <h2 id={titleId}>{t("embed.title")}</h2>
      <p className="view-intro">{t("embed.intro")}</p>
      <EmbeddingModelLine state={state} hint />
      {view?.model && counts && (
        <>
          {running ? (
            <ProgressBar value={view.total ? view.embedded / view.total : null} label={t("embed.progressLabel")} text={t("embed.progress", counts)} testId="embedding-progress" state="embedding" />
          ) : (
            <p data-testid="embedding-coverage">{view.embedded === view.total ? `${t("embed.coverage", counts)}. ${t("embed.complete")}` : t("embed.coverage", counts)}</p>
          )}
          <div className="view-actions">
            {running ? (
              <button type="button" className="button-quiet" onClick={() => run("stopping", () => call("embeddings.stop", {}).then(() => undefined))} disabled={busy !== null} data-testid="embedding-stop">
                {t("embed.stop")}
              </button>
            ) : (
              view.embedded < view.total && (
                <button type="button" className="button" onClick={() => run("starting", () => call("embeddings.start", {}).then(() => undefined))} disabled={busy !== null} data-testid="embedding-start">
                  {t("embed.start")}
                </button>
              )
            )}
          </div>
          {!running && progress?.phase === "stopped" && <p role="status">{t("embed.stopped")}</p>}
          {!running && view.error && (
            <p className="error" role="alert" data-testid="embedding-error">
              {t("embed.failed", { message: visibleText(view.error) })}
            </p>
          )}
        </>
      )}
      {(message?.error ? message.text : state.error) && (
        <p className="error" role="alert">
          {message?.error ? message.text : state.error}
        </p>
      )}
    </section>
  );
}
