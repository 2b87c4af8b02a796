// Search as the person types: one query ~100 ms after the last keystroke, and only the answer to
// the latest query is shown, however the responses race. A change to the library asks again, so
// the results never show a note as it was.
import { useEffect, useRef, useState } from "react";
import type { DocumentFormat, SearchHit, SearchMode } from "../../../shared/library.js";
import { call, useEvent } from "../api.js";
import { useLanguage } from "../i18n/index.js";
import { messageOf } from "../ui/format.js";

const DEBOUNCE_MS = 100;
const LIMIT = 30;

export interface SearchState {
  /** The query the hits answer; null before the first answer. */
  answered: string | null;
  hits: SearchHit[];
  /** The mode that ran, and why an automatic search fell back to words only; null before an answer. */
  ran: SearchMode | null;
  notice: string | null;
  pending: boolean;
  error: string | null;
}

/** As SearchState, with the failure itself: it is described in the language of the moment it is shown. */
type Answer = Omit<SearchState, "error"> & { failure: unknown };

export interface SearchFilterState {
  /** None chosen: every format. */
  formats: DocumentFormat[];
  /** As typed: tags separated by commas or spaces, with or without #. */
  tags: string;
  /** "auto": the library's own (words and meaning where its embedding model has vectors). */
  mode?: SearchMode | "auto";
}

/** The tags typed into the filter, each once. */
export function tagsOf(typed: string): string[] {
  return [...new Set(typed.split(/[\s,]+/).map((tag) => tag.replace(/^#+/, "")).filter(Boolean))];
}

export function useSearch(query: string, filters: SearchFilterState = { formats: [], tags: "" }): SearchState {
  const language = useLanguage();
  const [state, setState] = useState<Answer>({ answered: null, hits: [], ran: null, notice: null, pending: false, failure: null });
  const latest = useRef(0);
  const [revision, setRevision] = useState(0);
  useEvent("library.changed", () => setRevision((r) => r + 1));
  useEvent("index.progress", (progress) => progress.phase === "done" && setRevision((r) => r + 1));
  // A new embedding model, or a run's end, changes what the automatic mode searches with.
  useEvent("embeddings.status", () => setRevision((r) => r + 1));

  useEffect(() => {
    const request = ++latest.current;
    const trimmed = query.trim();
    if (!trimmed) {
      setState({ answered: null, hits: [], ran: null, notice: null, pending: false, failure: null });
      return;
    }
    setState((current) => (current.pending ? current : { ...current, pending: true }));
    const timer = setTimeout(() => {
      const tags = tagsOf(filters.tags);
      const mode = filters.mode ?? "auto";
      call("search.run", { query: trimmed, limit: LIMIT, mode, ...(filters.formats.length ? { formats: filters.formats } : {}), ...(tags.length ? { tags } : {}) })
        .then(({ hits, mode: ran, notice }) => request === latest.current && setState({ answered: trimmed, hits, ran, notice, pending: false, failure: null }))
        .catch((cause: unknown) => request === latest.current && setState({ answered: trimmed, hits: [], ran: null, notice: null, pending: false, failure: cause }));
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, revision, filters.formats, filters.tags, filters.mode]);

  const { failure, ...answer } = state;
  return { ...answer, error: failure === null ? null : messageOf(failure, language) };
}
