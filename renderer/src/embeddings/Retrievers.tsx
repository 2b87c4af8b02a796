// Which retriever found a passage, and at which rank: "words #2 · meaning #1".
import type { ReactNode } from "react";
import type { Retrievers as Ranks } from "../../../shared/library.js";
import { useT } from "../i18n/index.js";
import "../i18n/embeddings.js";
import "../styles/embeddings.css";

export function Retrievers({ retrievers, className }: { retrievers: Ranks | undefined; className?: string }): ReactNode {
  const t = useT();
  if (!retrievers) return null;
  const parts = [
    retrievers.lexical !== null && t("retrievers.lexical", { rank: retrievers.lexical }),
    retrievers.semantic !== null && t("retrievers.semantic", { rank: retrievers.semantic }),
  ].filter((part): part is string => typeof part === "string");
  if (!parts.length) return null;
  return (
    <span className={className ?? "retrievers"} title={t("retrievers.label")} data-testid="retrievers">
      {parts.join(" · ")}
    </span>
  );
}
