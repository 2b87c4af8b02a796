// Numbered source cards under an answer; for a refusal, the closest matches marked "not used".
import { memo, type ReactNode } from "react";
import type { SourceRef } from "../../../shared/chat.js";
import { useT } from "../i18n/index.js";
import { visibleText } from "../ui/visible-text.js";
import { Highlighted } from "./highlight.js";
import { placeAfterPath } from "./place.js";

export interface SourcesProps {
  sources: readonly SourceRef[];
  stems: readonly string[];
  /** Refusal: none of these were used to answer. */
  unused?: boolean;
  onOpen(source: SourceRef): void;
}

export const Sources = memo(function Sources({ sources, stems, unused = false, onOpen }: SourcesProps): ReactNode {
  const t = useT();
  if (sources.length === 0) return null;
  return (
    <ol className={unused ? "sources sources-unused" : "sources"} aria-label={t(unused ? "sources.closest" : "sources.label")}>
      {sources.map((source, index) => (
        <li key={`${source.chunkId}-${index}`}>
          <button
            type="button"
            className="source-card"
            data-testid="source-card"
            onClick={() => onOpen(source)}
            aria-label={t("sources.open", { n: index + 1, title: visibleText(source.title) })}
          >
            <span className="source-number" aria-hidden="true">
              {index + 1}
            </span>
            <span className="source-body">
              <span className="source-title">
                {visibleText(source.title)}
                {unused && <span className="badge badge-unused">{t("sources.notUsed")}</span>}
              </span>
              {source.heading && <span className="source-heading">{visibleText(source.heading)}</span>}
              <span className="source-path">
                {visibleText(source.path)}
                {placeAfterPath(t, source)}
              </span>
              <span className="source-snippet">
                <Highlighted text={source.snippet} stems={stems} />
              </span>
            </span>
          </button>
        </li>
      ))}
    </ol>
  );
});
