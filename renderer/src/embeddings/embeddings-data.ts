// The library's embedding model and its coverage, kept current from main's events: every window
// sees a model set, a run's progress and its end, wherever they started.
import { useCallback, useEffect, useState } from "react";
import type { EmbeddingsView } from "../../../shared/api.js";
import type { EmbeddingProgress } from "../../../shared/library.js";
import { call, useEvent } from "../api.js";
import { useLanguage } from "../i18n/index.js";
import { messageOf } from "../ui/format.js";

export interface EmbeddingsState {
  view: EmbeddingsView | null;
  /** The latest run's report, or null until one is seen. */
  progress: EmbeddingProgress | null;
  error: string | null;
  refresh(): void;
}

export function useEmbeddings(): EmbeddingsState {
  const language = useLanguage();
  const [view, setView] = useState<EmbeddingsView | null>(null);
  const [progress, setProgress] = useState<EmbeddingProgress | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const refresh = useCallback(() => {
    call("embeddings.status", {})
      .then((next) => {
        setView(next);
        setFailure(null);
      })
      .catch(setFailure);
  }, []);
  useEffect(refresh, [refresh]);
  useEvent("embeddings.status", setView);
  useEvent("embeddings.progress", (next) => {
    setProgress(next);
    setView((current) => current && { ...current, embedded: next.embedded, total: next.total, running: next.phase === "embedding" });
  });
  // Indexing changes how many passages there are.
  useEvent("library.changed", refresh);
  useEvent("index.progress", (next) => next.phase === "done" && refresh());
  return { view, progress, error: failure === null ? null : messageOf(failure, language), refresh };
}
