// Notes and model output are untrusted: Markdown only, raw HTML dropped, and a link never
// navigates the app — http(s) opens in the browser through main, a link to another note goes to
// whoever shows notes (the preview), anything else stays text. What is nested too deeply, too long
// or too slow to format is shown as plain text, with a note saying why (markdown-limits.ts).
import type { Root } from "hast";
import { memo, useLayoutEffect, useMemo, type MouseEvent, type ReactNode } from "react";
import Markdown, { type Components } from "react-markdown";
import { isWebUrl } from "../../../shared/web-url.js";
import { call } from "../api.js";
import { useLanguage, useT } from "../i18n/index.js";
import { formatNumber } from "../ui/format.js";
import { MAX_NESTING, MESSAGE_MAX_CHARS } from "./markdown-limits.js";
import type { Dialect } from "./markdown-tree.js";
import { isNoteLink, WIKILINK_HREF } from "./note-links.js";
import { WIKILINK_ATTRIBUTE } from "./obsidian-markdown.js";
import { useFormatted } from "./use-formatted.js";

function openExternal(event: MouseEvent<HTMLAnchorElement>, url: string): void {
  event.preventDefault();
  void call("app.openExternal", { url }).catch(() => {});
}

// Images would be fetched from wherever the note points (a tracking pixel, a local path): show the alt text instead.
function ImageText({ alt }: { alt?: string }): ReactNode {
  const t = useT();
  return <span className="md-image">{alt ? `[${alt}]` : t("markdown.image")}</span>;
}

function linkComponents(onNoteLink: ((href: string) => void) | undefined): Components {
  return {
    a: ({ href, children, node }) => {
      const wikilink = node?.properties?.[WIKILINK_ATTRIBUTE];
      if (typeof wikilink === "string") {
        const classes = node?.properties?.className;
        const className = Array.isArray(classes) ? classes.join(" ") : "";
        if (!onNoteLink) return <span className={className}>{children}</span>;
        return (
          <a
            href="#"
            className={`md-note-link ${className}`}
            onClick={(event) => {
              event.preventDefault();
              onNoteLink(WIKILINK_HREF + wikilink);
            }}
            onAuxClick={(event) => event.preventDefault()}
          >
            {children}
          </a>
        );
      }
      if (isWebUrl(href)) {
        return (
          <a href={href} onClick={(event) => openExternal(event, href)} onAuxClick={(event) => event.preventDefault()} rel="noreferrer noopener">
            {children}
          </a>
        );
      }
      if (onNoteLink && href && isNoteLink(href)) {
        return (
          <a
            href={href}
            className="md-note-link"
            onClick={(event) => {
              event.preventDefault();
              onNoteLink(href);
            }}
            onAuxClick={(event) => event.preventDefault()}
          >
            {children}
          </a>
        );
      }
      return <span className="md-link">{children}</span>;
    },
    img: ({ alt }) => <ImageText alt={alt} />,
  };
}

/**
 * react-markdown renders a tree parsed elsewhere (at once or on the worker, within the limits): its
 * own parse gets an empty text and this plugin hands over the tree, so its URL checks still apply.
 */
function rehypeGivenTree(tree: Root) {
  return () => tree;
}

const FormattedTree = memo(function FormattedTree({ tree, components }: { tree: Root; components: Components }): ReactNode {
  return (
    <Markdown rehypePlugins={[[rehypeGivenTree, tree]]} components={components}>
      {""}
    </Markdown>
  );
});

export interface SafeMarkdownProps {
  text: string;
  /** Extra element renderers, e.g. the preview pane's passage highlighting. */
  components?: Components;
  /** Beyond this many characters the text is shown unformatted. */
  maxChars?: number;
  /** How the text shows unformatted; preformatted as it is by default. */
  renderText?(text: string): ReactNode;
  /** Relative links lead to other notes: without this they stay text. */
  onNoteLink?(href: string): void;
  /** After what is shown changed, e.g. the formatted tree arrived. */
  onShown?(): void;
  /** Obsidian's Markdown for a note (wikilinks, highlights, callouts, comments); plain GFM by default. */
  dialect?: Dialect;
}

const defaultText = (text: string) => <pre className="md-plain">{text}</pre>;

export const SafeMarkdown = memo(function SafeMarkdown({
  text,
  components,
  maxChars = MESSAGE_MAX_CHARS,
  renderText = defaultText,
  onNoteLink,
  onShown,
  dialect = "gfm",
}: SafeMarkdownProps): ReactNode {
  const t = useT();
  const language = useLanguage();
  const shown = useFormatted(text, maxChars, dialect);
  const merged = useMemo(() => ({ ...linkComponents(onNoteLink), ...components }), [onNoteLink, components]);
  const tree = shown.kind === "tree" ? shown.tree : shown.kind === "pending" ? shown.previous : null;
  const showsText = shown.kind === "plain" || (shown.kind === "pending" && !tree && shown.showText);
  useLayoutEffect(() => onShown?.(), [tree, showsText, onShown]);

  if (tree) return <FormattedTree tree={tree} components={merged} />;
  if (shown.kind === "plain") {
    return (
      <>
        <p className="md-plain-note" role="note" data-testid="markdown-plain">
          {t(`markdown.plain.${shown.reason}`, { levels: MAX_NESTING, chars: formatNumber(maxChars, language) })}
        </p>
        {renderText(text)}
      </>
    );
  }
  return showsText ? renderText(text) : null;
});
