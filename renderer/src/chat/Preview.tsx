// The whole note beside the chat, scrolled to the cited passage with its blocks highlighted. A link
// to another note in the library opens that note here, with Back to return.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import type { Components, ExtraProps } from "react-markdown";
import type { NoteContent } from "../../../shared/api.js";
import type { SourceRef } from "../../../shared/chat.js";
import { call, CallError } from "../api.js";
import { useLanguage, useT } from "../i18n/index.js";
import { ErrorBoundary, RenderError } from "../ui/ErrorBoundary.js";
import { messageOf } from "../ui/format.js";
import { visibleText } from "../ui/visible-text.js";
import { NOTE_MAX_CHARS } from "./markdown-limits.js";
import { headingSlug, resolveNoteLink, WIKILINK_HREF } from "./note-links.js";
import { SafeMarkdown } from "./SafeMarkdown.js";

const BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "table", "hr"] as const;

/** Block renderers that mark the blocks overlapping lines [from, to] with the "passage" class. */
function passageComponents(from: number, to: number): Components {
  const components: Components = {};
  for (const tag of BLOCKS) {
    const Block = ({ node, className, ...props }: Record<string, unknown> & ExtraProps & { className?: string }) => {
      const start = node?.position?.start.line ?? 0;
      const end = node?.position?.end.line ?? 0;
      const inPassage = start <= to && end >= from;
      const Tag = tag as "p";
      return <Tag {...props} className={[className, inPassage ? "passage" : null].filter(Boolean).join(" ") || undefined} />;
    };
    (components as Record<string, unknown>)[tag] = Block;
  }
  return components;
}

/** Where line `line` (1-based) starts in `text`, or its length when there are fewer lines. */
function lineOffset(text: string, line: number): number {
  let offset = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf("\n", offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset;
}

/** The text as it is, lines [from, to] marked: three runs of text, however long the note. */
function PlainText({ text, from, to }: { text: string; from: number; to: number }): ReactNode {
  const start = from > 0 ? lineOffset(text, from) : text.length;
  const end = from > 0 ? lineOffset(text, to + 1) : text.length;
  return (
    <div className="plain-note">
      {text.slice(0, start)}
      {end > start && <span className="passage">{text.slice(start, end)}</span>}
      {text.slice(end)}
    </div>
  );
}

const noteError = (error: Error) => <RenderError kind="note" error={error} />;

/** Lines first..last (1-based) of a PDF's text: one page, as pages[] in NoteContent says where each starts. */
function pageLines(note: NoteContent, page: number): { first: number; last: number } {
  const pages = note.pages ?? [1];
  const first = pages[page - 1] ?? 1;
  const next = pages[page];
  // Pages are separated by one blank line.
  return { first, last: next === undefined ? Number.MAX_SAFE_INTEGER : next - 2 };
}

/** A PDF page's text, the cited lines marked when they are on it. */
function PdfPage({ note, page, from, to }: { note: NoteContent; page: number; from: number; to: number }): ReactNode {
  const lines = useMemo(() => note.markdown.split("\n"), [note.markdown]);
  const { first, last } = pageLines(note, page);
  const text = lines.slice(first - 1, Math.min(last, lines.length)).join("\n");
  const onPage = from >= first && from <= last;
  return <PlainText text={text} from={onPage ? from - first + 1 : 0} to={onPage ? Math.min(to, last) - first + 1 : 0} />;
}

/** The widest page image asked for, in device pixels: sharp on a large display, never a poster. */
const MAX_IMAGE_WIDTH = 2400;

/** A PDF page as printed, drawn by main at the pane's width in device pixels. */
function PdfPageImage({ path, page, width }: { path: string; page: number; width: number }): ReactNode {
  const t = useT();
  const language = useLanguage();
  const [image, setImage] = useState<{ key: string; src: string } | null>(null);
  const [error, setError] = useState<{ key: string; message: string } | null>(null);
  const key = `${path}\n${page}\n${width}`;
  useEffect(() => {
    let current = true;
    call("notes.pageImage", { path, page, width })
      .then((drawn) => current && setImage({ key, src: drawn.src }))
      .catch((cause: unknown) => current && setError({ key, message: messageOf(cause, language) }));
    return () => {
      current = false;
    };
  }, [key]);
  if (error?.key === key) {
    return (
      <p className="error" role="alert" data-testid="preview-page-image-error">
        {error.message}
      </p>
    );
  }
  if (image?.key !== key) return <p className="preview-page-loading" aria-busy="true">{t("preview.drawingPage")}</p>;
  return <img className="preview-page-image" src={image.src} alt={t("preview.pageImageAlt", { page })} data-testid="preview-page-image" />;
}

/** A note reached by a link from the source's note. */
interface Followed {
  note: NoteContent;
  fragment: string | null;
}

export interface PreviewProps {
  source: SourceRef;
  onClose(): void;
  /** Where focus goes on closing when what opened the preview is gone (a row scrolled away). */
  fallbackFocus(): void;
}

export function Preview({ source, onClose, fallbackFocus }: PreviewProps): ReactNode {
  const t = useT();
  const language = useLanguage();
  const opener = useRef<HTMLElement | null>(null);
  const pane = useRef<HTMLElement>(null);
  const [note, setNote] = useState<NoteContent | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Notes followed by links since this source opened; the last one is shown. */
  const [trail, setTrail] = useState<Followed[]>([]);
  const [trailOf, setTrailOf] = useState(source);
  if (trailOf !== source) {
    setTrailOf(source);
    setTrail([]);
  }
  const body = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const backButton = useRef<HTMLButtonElement>(null);
  const followed = trail.at(-1) ?? null;
  const shown = followed?.note ?? note;
  const shownPath = followed?.note.path ?? source.path;
  /** The PDF page shown: the cited one, until the person turns pages. */
  const [page, setPage] = useState(source.page ?? 1);
  /** A PDF page as printed instead of its text (where the passage is marked); kept while pages turn. */
  const [asPrinted, setAsPrinted] = useState(false);
  const [pageOf, setPageOf] = useState(source);
  if (pageOf !== source) {
    setPageOf(source);
    setPage(source.page ?? 1);
  }

  useEffect(() => {
    let current = true;
    setNote(null);
    setError(null);
    call("notes.read", { path: source.path })
      .then((content) => current && setNote(content))
      .catch((cause: unknown) => current && setError(messageOf(cause, language)));
    return () => {
      current = false;
    };
  }, [source.path]);

  // Before focus moves into the pane: what had it is what opened this source.
  useLayoutEffect(() => {
    const focused = document.activeElement;
    if (focused instanceof HTMLElement && !pane.current?.contains(focused)) opener.current = focused;
  }, [source]);

  useEffect(() => {
    closeButton.current?.focus();
  }, [source]);

  // The link that had focus is gone with its note: Back takes it, or Close once back at the source.
  useEffect(() => {
    (trail.length > 0 ? backButton : closeButton).current?.focus();
  }, [trail.length]);

  const close = () => {
    if (opener.current?.isConnected) opener.current.focus();
    else fallbackFocus();
    onClose();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    // Handled here, so the window's Escape (stop the answer) does not also act on it.
    event.preventDefault();
    close();
  };

  const scrollToHeading = useCallback((fragment: string) => {
    const wanted = headingSlug(fragment);
    const headings = body.current?.querySelectorAll<HTMLElement>("h1, h2, h3, h4, h5, h6") ?? [];
    [...headings].find((heading) => headingSlug(heading.textContent ?? "") === wanted)?.scrollIntoView({ block: "start" });
  }, []);

  /** The cited passage for the source's note; the linked heading, or the top, for a followed one. */
  const scrollToTarget = useCallback(() => {
    const root = body.current;
    if (!root) return;
    if (!followed) root.querySelector(".passage")?.scrollIntoView({ block: "center" });
    else if (followed.fragment) scrollToHeading(followed.fragment);
    else root.scrollTop = 0;
  }, [followed, scrollToHeading]);

  useEffect(() => {
    if (shown) scrollToTarget();
  }, [shown, scrollToTarget]);

  // A PDF page turned to: its top, or the cited passage when back on its page.
  useEffect(() => {
    if (page === source.page) scrollToTarget();
    else if (body.current) body.current.scrollTop = 0;
    // Only a turn of the page scrolls here; the note arriving scrolls above.
  }, [page]);

  // A link answered after another source opened belongs to a note no longer shown.
  const sourceNow = useRef(source);
  sourceNow.current = source;
  const followLink = useCallback(
    (href: string) => {
      const target = resolveNoteLink(shownPath, href, shown?.links);
      if (!target) {
        // A wikilink that names no note of the library: main found none by that name.
        if (href.startsWith(WIKILINK_HREF)) setError(t("preview.noSuchNote", { name: visibleText(href.slice(WIKILINK_HREF.length)) }));
        return;
      }
      setError(null);
      if (target.path === shownPath) {
        if (target.fragment) scrollToHeading(target.fragment);
        return;
      }
      const asked = source;
      call("notes.read", { path: target.path })
        .then((content) => {
          if (sourceNow.current !== asked) return;
          setTrail((list) => [...list, { note: content, fragment: target.fragment }]);
        })
        .catch((cause: unknown) => {
          if (sourceNow.current !== asked) return;
          // main refuses a path outside the library before reading anything there.
          const outside = cause instanceof CallError && cause.code === "FORBIDDEN";
          setError(outside ? t("preview.notInLibrary", { path: visibleText(target.path) }) : messageOf(cause, language));
        });
    },
    [shownPath, shown?.links, source, scrollToHeading, t, language],
  );

  const back = () => {
    setError(null);
    setTrail((list) => list.slice(0, -1));
  };

  const passage = followed ? { from: 0, to: 0 } : { from: source.lineStart, to: source.lineEnd };
  const components = useMemo(() => passageComponents(source.lineStart, source.lineEnd), [source.lineStart, source.lineEnd]);
  const renderText = useCallback((text: string) => <PlainText text={text} from={passage.from} to={passage.to} />, [passage.from, passage.to]);
  const act = (method: "notes.open" | "notes.showInFolder") => {
    call(method, { path: shownPath }).catch((cause: unknown) => setError(messageOf(cause, language)));
  };
  const title = visibleText(followed ? followed.note.title : (note?.title ?? source.title));

  return (
    <aside className="preview" data-testid="preview" aria-label={t("preview.label", { title })} ref={pane} onKeyDown={onKeyDown}>
      <header className="preview-header">
        <div className="preview-heading">
          <h2>{title}</h2>
          <p className="source-path" data-testid="preview-path">
            {visibleText(shownPath)}
            {!followed && (source.page ? ` · ${t("source.page", { page: source.page })}` : `:${source.lineStart}–${source.lineEnd}`)}
          </p>
        </div>
        <div className="preview-actions">
          {followed && (
            <button type="button" className="button-quiet" ref={backButton} onClick={back} data-testid="preview-back">
              {t("preview.back")}
            </button>
          )}
          <button type="button" className="button-quiet" onClick={() => act("notes.open")}>
            {t("preview.open")}
          </button>
          <button type="button" className="button-quiet" onClick={() => act("notes.showInFolder")}>
            {t("preview.showInFolder")}
          </button>
          <button type="button" className="button-quiet" ref={closeButton} onClick={close} aria-keyshortcuts="Escape">
            {t("action.close")}
          </button>
        </div>
      </header>
      {error && (
        <p className="error" role="alert" data-testid="preview-error">
          {error}
        </p>
      )}
      <div className="preview-body markdown" ref={body} tabIndex={0} aria-busy={!shown && !error}>
        <ErrorBoundary resetKey={shown} fallback={noteError}>
          {shown &&
            (shown.format === "pdf" ? (
              <>
                <nav className="preview-pages" aria-label={t("preview.pages")}>
                  <button type="button" className="button-quiet" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                    {t("preview.previousPage")}
                  </button>
                  <span data-testid="preview-page">{t("preview.page", { page, pages: shown.pages?.length ?? 1 })}</span>
                  <button type="button" className="button-quiet" disabled={page >= (shown.pages?.length ?? 1)} onClick={() => setPage(page + 1)}>
                    {t("preview.nextPage")}
                  </button>
                  <button type="button" className="button-quiet" aria-pressed={asPrinted} onClick={() => setAsPrinted(!asPrinted)} data-testid="preview-as-printed">
                    {t("preview.asPrinted")}
                  </button>
                </nav>
                {asPrinted ? (
                  <PdfPageImage
                    path={shownPath}
                    page={page}
                    width={Math.min(MAX_IMAGE_WIDTH, Math.max(64, Math.round((body.current?.clientWidth ?? 600) * window.devicePixelRatio)))}
                  />
                ) : (
                  <PdfPage note={shown} page={page} from={passage.from} to={passage.to} />
                )}
              </>
            ) : shown.format === "text" ? (
              <PlainText text={shown.markdown} from={passage.from} to={passage.to} />
            ) : (
              <SafeMarkdown
                key={shownPath}
                text={shown.markdown}
                components={followed ? undefined : components}
                maxChars={NOTE_MAX_CHARS}
                renderText={renderText}
                onNoteLink={followLink}
                onShown={scrollToTarget}
                dialect={shown.format === "markdown" ? "obsidian" : "gfm"}
              />
            ))}
        </ErrorBoundary>
      </div>
    </aside>
  );
}
