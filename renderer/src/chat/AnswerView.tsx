// One answer: Markdown body and numbered sources, or a refusal that says so plainly.
import { memo, useMemo, type ReactNode } from "react";
import type { SourceRef } from "../../../shared/chat.js";
import { useLanguage, useT } from "../i18n/index.js";
import { formatNumber } from "../ui/format.js";
import type { AnswerData } from "./answer-data.js";
import { questionStems } from "./highlight.js";
import { HowAnswered } from "./HowAnswered.js";
import { SafeMarkdown } from "./SafeMarkdown.js";
import { Sources } from "./Sources.js";

export interface AnswerActions {
  onOpenSource(source: SourceRef): void;
  onSearchInstead(question: string): void;
  onRegenerate(): void;
}

export interface AnswerViewProps {
  question: string;
  data: AnswerData;
  /** The conversation's last answer: it can be regenerated. */
  last: boolean;
  /** Another answer is being generated: regenerating now would collide with it. */
  busy: boolean;
  actions: AnswerActions;
}

export const AnswerView = memo(function AnswerView({ question, data, last, busy, actions }: AnswerViewProps): ReactNode {
  const t = useT();
  const language = useLanguage();
  const stems = useMemo(() => questionStems(question), [question]);
  const regenerate = last && (
    <button type="button" className="button-quiet" onClick={actions.onRegenerate} disabled={busy}>
      {t("chat.regenerate")}
    </button>
  );
  if (data.refused) {
    return (
      <section className="refusal" data-testid="refusal" aria-label={t("refusal.title")}>
        <h3 className="refusal-title">
          <span className="refusal-icon" aria-hidden="true">
            ∅
          </span>
          {t("refusal.title")}
        </h3>
        <p className="refusal-message">{data.content}</p>
        {data.candidates.length > 0 && <p className="refusal-closest">{t("sources.closest")}</p>}
        <Sources sources={data.candidates} stems={stems} unused onOpen={actions.onOpenSource} />
        <div className="answer-actions">
          <button type="button" className="button" onClick={() => actions.onSearchInstead(question)}>
            {t("refusal.search")}
          </button>
          {regenerate}
        </div>
        <HowAnswered data={data} />
      </section>
    );
  }
  return (
    <section className="answer" aria-label={t("chat.answer")}>
      <div className="answer-body markdown" data-testid="answer">
        <SafeMarkdown text={data.content} />
      </div>
      {data.stopped && <p className="answer-stopped">{t("chat.stopped")}</p>}
      {data.truncated && !data.stopped && (
        <p className="answer-stopped" data-testid="answer-truncated">
          {t("chat.truncated", { count: data.context?.answerBudget ?? 0, tokens: formatNumber(data.context?.answerBudget ?? 0, language) })}
        </p>
      )}
      <Sources sources={data.citations} stems={stems} onOpen={actions.onOpenSource} />
      <div className="answer-actions">{regenerate}</div>
      <HowAnswered data={data} />
    </section>
  );
});
