// The whole note beside the chat, scrolled to the cited passage with its blocks highlighted.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import type { Components, ExtraProps } from "react-markdown";
import type { NoteContent } from "../../../shared/api.js";
import type { SourceRef } from "../../../shared/chat.js";
import { call } from "../api.js";
import { useLanguage, useT } from "../i18n/index.js";
import { ErrorBoundary, RenderError } from "../ui/ErrorBoundary.js";
import { messageOf } from "../ui/format.js";
import { visibleText } from "../ui/visible-text.js";
import { NOTE_MAX_CHARS } from "./markdown-limits.js";
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
  const body = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

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

  const scrollToPassage = useCallback(() => {
    body.current?.querySelector(".passage")?.scrollIntoView({ block: "center" });
  }, []);

  useEffect(() => {
    if (note) scrollToPassage();
  }, [note, source.lineStart, scrollToPassage]);

  const components = useMemo(() => passageComponents(source.lineStart, source.lineEnd), [source.lineStart, source.lineEnd]);
  const renderText = useCallback((text: string) => <PlainText text={text} from={source.lineStart} to={source.lineEnd} />, [source.lineStart, source.lineEnd]);
  const act = (method: "notes.open" | "notes.showInFolder") => {
    call(method, { path: source.path }).catch((cause: unknown) => setError(messageOf(cause, language)));
  };

  const title = visibleText(note?.title ?? source.title);

  return (
    <aside className="preview" data-testid="preview" aria-label={t("preview.label", { title })} ref={pane} onKeyDown={onKeyDown}>
      <header className="preview-header">
        <div className="preview-heading">
          <h2>{title}</h2>
          <p className="source-path" data-testid="preview-path">
            {visibleText(source.path)}:{source.lineStart}–{source.lineEnd}
          </p>
        </div>
        <div className="preview-actions">
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
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="preview-body markdown" ref={body} tabIndex={0} aria-busy={!note && !error}>
        <ErrorBoundary resetKey={note} fallback={noteError}>
          {note &&
            (note.format === "text" ? (
              <PlainText text={note.markdown} from={source.lineStart} to={source.lineEnd} />
            ) : (
              <SafeMarkdown text={note.markdown} components={components} maxChars={NOTE_MAX_CHARS} renderText={renderText} onShown={scrollToPassage} />
            ))}
        </ErrorBoundary>
      </div>
    </aside>
  );
}
