// What went into an answer: the context it used, the documents sent and left out, the ones chosen, tokens and timings.
import type { ReactNode } from "react";
import type { SourceRef } from "../../../shared/chat.js";
import { sourceLabel } from "../../../shared/source-label.js";
import { Retrievers } from "../embeddings/Retrievers.js";
import { useLanguage, useT } from "../i18n/index.js";
import { formatNumber } from "../ui/format.js";
import { visibleText } from "../ui/visible-text.js";
import type { AnswerData } from "./answer-data.js";
import { placeAfterPath } from "./place.js";

function DocumentLine({ doc, chosen, note }: { doc: SourceRef; chosen?: boolean; note?: string }): ReactNode {
  const t = useT();
  return (
    <li className={chosen ? "chosen" : undefined}>
      <code>[{doc.docId}]</code> {visibleText(sourceLabel(doc))} <span className="source-path">
        {visibleText(doc.path)}
        {placeAfterPath(t, doc)}
      </span>
      <Retrievers retrievers={doc.retrievers} className="how-retrievers" />
      {note && <span className="how-note"> ({note})</span>}
    </li>
  );
}

export function HowAnswered({ data }: { data: AnswerData }): ReactNode {
  const t = useT();
  const language = useLanguage();
  const n = (value: number) => formatNumber(value, language);
  const ms = (value: number | null | undefined) => (value == null ? "—" : t("how.ms", { ms: n(Math.round(value)) }));
  const { candidates, omitted, context, relevantDocIds, tokens, timings, model } = data;
  const history = context?.history;
  return (
    <details className="how-answered" data-testid="how-answered">
      <summary>{t("how.title")}</summary>
      <dl>
        <dt>{t("how.model")}</dt>
        <dd>{model ?? t("how.unknown")}</dd>
        {context && (
          <>
            <dt>{t("how.context")}</dt>
            <dd data-testid="how-context">
              {t("how.contextValue", { prompt: n(context.promptTokens), size: n(context.size), answer: n(context.answerBudget), countedBy: t(`how.countedBy.${context.countedBy}`) })}
            </dd>
          </>
        )}
        {history && history.sent + history.leftOut > 0 && (
          <>
            <dt>{t("how.history")}</dt>
            <dd>{t("how.historyValue", { sent: history.sent, leftOut: history.leftOut })}</dd>
          </>
        )}
        <dt>{t("how.chosen")}</dt>
        <dd>{relevantDocIds.length > 0 ? relevantDocIds.join(", ") : t("how.none")}</dd>
        {tokens && (
          <>
            <dt>{t("how.tokens")}</dt>
            <dd>{t("how.tokenCounts", { prompt: n(tokens.prompt), evaluated: n(tokens.evaluated), reused: n(tokens.reused), generated: n(tokens.generated) })}</dd>
          </>
        )}
        {timings && (
          <>
            <dt>{t("how.timings")}</dt>
            <dd>
              {t("how.timingValues", {
                retrieve: ms(timings.retrieveMs),
                select: ms(timings.selectMs),
                answer: ms(timings.answerMs),
                first: ms(timings.firstTokenMs),
              })}
            </dd>
          </>
        )}
      </dl>
      <p className="how-docs-title">{t("how.sent", { count: candidates.length })}</p>
      <ul className="how-docs" data-testid="how-sent">
        {candidates.map((doc) => (
          <DocumentLine key={doc.docId} doc={doc} chosen={relevantDocIds.includes(doc.docId)} note={doc.shortened ? t("how.shortened") : undefined} />
        ))}
      </ul>
      {omitted.length > 0 && (
        <>
          <p className="how-docs-title">{t("how.omitted", { count: omitted.length })}</p>
          <ul className="how-docs how-omitted" data-testid="how-omitted">
            {omitted.map((doc) => (
              <DocumentLine key={doc.docId} doc={doc} />
            ))}
          </ul>
        </>
      )}
    </details>
  );
}
