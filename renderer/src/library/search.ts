// Search as the person types: one query ~100 ms after the last keystroke, and only the answer to
// the latest query is shown, however the responses race. A change to the library asks again, so
// the results never show a note as it was.
import { useEffect, useRef, useState } from "react";
import type { DocumentFormat, SearchHit } from "../../../shared/library.js";
import { call, useEvent } from "../api.js";
import { useLanguage } from "../i18n/index.js";
import { messageOf } from "../ui/format.js";

const DEBOUNCE_MS = 100;
const LIMIT = 30;

export interface SearchState {
  /** The query the hits answer; null before the first answer. */
  answered: string | null;
  hits: SearchHit[];
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
}

/** The tags typed into the filter, each once. */
export function tagsOf(typed: string): string[] {
  return [...new Set(typed.split(/[\s,]+/).map((tag) => tag.replace(/^#+/, "")).filter(Boolean))];
}

export function useSearch(query: string, filters: SearchFilterState = { formats: [], tags: "" }): SearchState {
  const language = useLanguage();
  const [state, setState] = useState<Answer>({ answered: null, hits: [], pending: false, failure: null });
  const latest = useRef(0);
  const [revision, setRevision] = useState(0);
  useEvent("library.changed", () => setRevision((r) => r + 1));
  useEvent("index.progress", (progress) => progress.phase === "done" && setRevision((r) => r + 1));

  useEffect(() => {
    const request = ++latest.current;
    const trimmed = query.trim();
    if (!trimmed) {
      setState({ answered: null, hits: [], pending: false, failure: null });
      return;
    }
    setState((current) => (current.pending ? current : { ...current, pending: true }));
    const timer = setTimeout(() => {
      const tags = tagsOf(filters.tags);
      call("search.query", { query: trimmed, limit: LIMIT, ...(filters.formats.length ? { formats: filters.formats } : {}), ...(tags.length ? { tags } : {}) })
        .then((hits) => request === latest.current && setState({ answered: trimmed, hits, pending: false, failure: null }))
        .catch((cause: unknown) => request === latest.current && setState({ answered: trimmed, hits: [], pending: false, failure: cause }));
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, revision, filters.formats, filters.tags]);

  const { failure, ...answer } = state;
  return { ...answer, error: failure === null ? null : messageOf(failure, language) };
}
