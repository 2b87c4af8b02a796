// Notes and model output are untrusted: Markdown only, raw HTML dropped, and a link never
// navigates the app — http(s) opens in the browser through main, anything else stays text.
import { memo, type MouseEvent, type ReactNode } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { call } from "../api.js";
import { useT } from "../i18n/index.js";

const remarkPlugins = [remarkGfm];

function isWebUrl(url: string | undefined): url is string {
  return !!url && /^https?:\/\//i.test(url);
}

function openExternal(event: MouseEvent<HTMLAnchorElement>, url: string): void {
  event.preventDefault();
  void call("app.openExternal", { url }).catch(() => {});
}

// Images would be fetched from wherever the note points (a tracking pixel, a local path): show the alt text instead.
function ImageText({ alt }: { alt?: string }): ReactNode {
  const t = useT();
  return <span className="md-image">{alt ? `[${alt}]` : t("markdown.image")}</span>;
}

const baseComponents: Components = {
  a: ({ href, children }) =>
    isWebUrl(href) ? (
      <a href={href} onClick={(event) => openExternal(event, href)} onAuxClick={(event) => event.preventDefault()} rel="noreferrer noopener">
        {children}
      </a>
    ) : (
      <span className="md-link">{children}</span>
    ),
  img: ({ alt }) => <ImageText alt={alt} />,
};

export interface SafeMarkdownProps {
  text: string;
  /** Extra element renderers, e.g. the preview pane's passage highlighting. */
  components?: Components;
}

export const SafeMarkdown = memo(function SafeMarkdown({ text, components }: SafeMarkdownProps): ReactNode {
  return (
    <Markdown remarkPlugins={remarkPlugins} skipHtml components={components ? { ...baseComponents, ...components } : baseComponents}>
      {text}
    </Markdown>
  );
});
