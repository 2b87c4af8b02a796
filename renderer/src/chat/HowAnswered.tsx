// What went into an answer: the documents sent, the ones chosen, tokens and timings.
import type { ReactNode } from "react";
import { useLanguage, useT } from "../i18n/index.js";
import { formatNumber } from "../ui/format.js";
import type { AnswerData } from "./answer-data.js";

export function HowAnswered({ data }: { data: AnswerData }): ReactNode {
  const t = useT();
  const language = useLanguage();
  const ms = (value: number | null | undefined) => (value == null ? "—" : t("how.ms", { ms: formatNumber(Math.round(value), language) }));
  const { candidates, relevantDocIds, tokens, timings, model } = data;
  return (
    <details className="how-answered">
      <summary>{t("how.title")}</summary>
      <dl>
        <dt>{t("how.model")}</dt>
        <dd>{model ?? t("how.unknown")}</dd>
        <dt>{t("how.chosen")}</dt>
        <dd>{relevantDocIds.length > 0 ? relevantDocIds.join(", ") : t("how.none")}</dd>
        {tokens && (
          <>
            <dt>{t("how.tokens")}</dt>
            <dd>{t("how.tokenCounts", { prompt: tokens.prompt, evaluated: tokens.evaluated, reused: tokens.reused, generated: tokens.generated })}</dd>
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
      <ul className="how-docs">
        {candidates.map((doc) => (
          <li key={doc.docId} className={relevantDocIds.includes(doc.docId) ? "chosen" : undefined}>
            <code>[{doc.docId}]</code> {doc.title}
            {doc.heading && ` › ${doc.heading}`} <span className="source-path">{doc.path}:{doc.lineStart}–{doc.lineEnd}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
