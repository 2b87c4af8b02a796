// Search-only mode: results with snippets as you type, straight from the index, no model needed.
// A result opens its note at the matched passage.
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { SourceRef } from "../../../shared/chat.js";
import { DOCUMENT_FORMATS, SEARCH_MODES, type DocumentFormat, type SearchHit, type SearchMode } from "../../../shared/library.js";
import { placeAfterPath } from "../chat/place.js";
import { Preview } from "../chat/Preview.js";
import { Retrievers } from "../embeddings/Retrievers.js";
import "../i18n/embeddings.js";
import { useT } from "../i18n/index.js";
import { visibleText } from "../ui/visible-text.js";
import "../i18n/library.js";
import "../styles/library.css";
import { useSearch } from "./search.js";
import { Snippet } from "./Snippet.js";

const ANNOUNCE_AFTER_MS = 700;

/** The preview pane shows sources; a search hit is one that no answer numbered. */
function asSource(hit: SearchHit, index: number): SourceRef {
  const { chunkId, path, title, heading, lineStart, lineEnd, page, snippet } = hit;
  return { docId: index, chunkId, path, title, heading, lineStart, lineEnd, ...(page === null ? {} : { page }), snippet };
}

export function SearchView({ initialQuery = "" }: { initialQuery?: string }): ReactNode {
  const t = useT();
  const [query, setQuery] = useState(initialQuery);
  const [open, setOpen] = useState<SourceRef | null>(null);
  const [formats, setFormats] = useState<DocumentFormat[]>([]);
  const [tags, setTags] = useState("");
  const [mode, setMode] = useState<SearchMode | "auto">("auto");
  const field = useRef<HTMLInputElement>(null);
  const filters = useMemo(() => ({ formats, tags, mode }), [formats, tags, mode]);
  const { answered, hits, ran, notice, pending, error } = useSearch(query, filters);
  const toggleFormat = (format: DocumentFormat) => setFormats((list) => (list.includes(format) ? list.filter((f) => f !== format) : [...list, format]));
  const status = error
    ? null
    : !query.trim()
      ? t("search.hint")
      : answered === null
        ? t("search.searching")
        : hits.length === 0
          ? t("search.noResults", { query: answered })
          : t("search.results", { count: hits.length });
  // Results change with every key typed: a screen reader hears them once the typing has paused.
  const settled = !pending && answered !== null && !error ? status : null;
  const [announced, setAnnounced] = useState("");
  useEffect(() => {
    if (settled === null) return;
    const timer = setTimeout(() => setAnnounced(settled), ANNOUNCE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [settled]);

  return (
    <div className={open ? "search-view with-preview" : "search-view"}>
      <div className="search-main">
        <h1 className="search-title">{t("search.title")}</h1>
        <input
          type="search"
          className="search-input"
          aria-label={t("search.label")}
          placeholder={t("search.placeholder")}
          ref={field}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          autoFocus
          spellCheck={false}
          data-testid="search-input"
        />
        <div className="search-filters">
          <fieldset className="search-formats">
            <legend>{t("search.formats")}</legend>
            {DOCUMENT_FORMATS.map((format) => (
              <label key={format}>
                <input type="checkbox" checked={formats.includes(format)} onChange={() => toggleFormat(format)} data-testid={`search-format-${format}`} />
                {t(`search.format.${format}`)}
              </label>
            ))}
          </fieldset>
          <label className="search-mode">
            {t("search.mode")}
            <select value={mode} onChange={(event) => setMode(event.target.value as SearchMode | "auto")} data-testid="search-mode">
              {(["auto", ...SEARCH_MODES] as const).map((m) => (
                <option key={m} value={m}>
                  {t(`search.mode.${m}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="search-tags">
            {t("search.tags")}
            <input type="text" value={tags} onChange={(event) => setTags(event.target.value)} placeholder={t("search.tagsPlaceholder")} spellCheck={false} data-testid="search-tags" />
          </label>
        </div>
        <p className="search-status">{status}</p>
        {ran && !error && query.trim() && (
          <p className="search-ran" data-testid="search-ran" data-mode={ran} title={notice ?? undefined}>
            {notice ? t("search.fellBack") : t("search.ran", { mode: t(`search.ran.${ran}`) })}
          </p>
        )}
        <p className="visually-hidden" role="status">
          {announced}
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <ol className="search-results" aria-label={t("search.label")}>
          {hits.map((hit, index) => (
            <li key={hit.chunkId}>
              <button
                type="button"
                className={open?.chunkId === hit.chunkId ? "search-result selected" : "search-result"}
                aria-label={t("search.open", { title: visibleText(hit.title) })}
                aria-describedby={`snippet-${hit.chunkId}`}
                aria-current={open?.chunkId === hit.chunkId ? "true" : undefined}
                onClick={() => setOpen(asSource(hit, index))}
                data-testid="search-result"
              >
                <span className="search-result-title">{visibleText(hit.title)}</span>
                {hit.heading && <span className="search-result-heading">{visibleText(hit.heading)}</span>}
                <span className="search-result-path">
                  {visibleText(hit.path)}
                  {placeAfterPath(t, hit)}
                </span>
                <span className="search-result-snippet" id={`snippet-${hit.chunkId}`}>
                  <Snippet text={hit.snippet} highlights={hit.highlights} />
                </span>
                {ran !== "lexical" && <Retrievers retrievers={hit.retrievers} className="search-result-retrievers" />}
              </button>
            </li>
          ))}
        </ol>
      </div>
      {open && <Preview source={open} onClose={() => setOpen(null)} fallbackFocus={() => field.current?.focus()} />}
    </div>
  );
}
