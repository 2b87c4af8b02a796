// The answer being generated. Only this row watches the stream, so a delta re-renders nothing else.
import type { ReactNode } from "react";
import type { ApiError } from "../../../shared/api.js";
import { useLanguage, useT } from "../i18n/index.js";
import { describeError } from "../ui/format.js";
import { fromResult } from "./answer-data.js";
import { AnswerView, type AnswerActions } from "./AnswerView.js";
import { SafeMarkdown } from "./SafeMarkdown.js";
import { useStream } from "./streams.js";

export interface StreamingAnswerProps {
  question: string;
  streamId: string | null;
  /** chat.ask itself failed, or the stream ended in chat.error. */
  error: ApiError | null;
  actions: AnswerActions;
  onOpenModel(): void;
}

export function StreamingAnswer({ question, streamId, error, actions, onOpenModel }: StreamingAnswerProps): ReactNode {
  const t = useT();
  const language = useLanguage();
  const stream = useStream(streamId);
  const failure = error ?? stream?.error ?? null;
  if (failure) {
    return (
      <section className="chat-error" role="alert" aria-label={t("chat.errorTitle")}>
        <h3>{failure.code === "NO_MODEL" ? t("chat.noModelTitle") : t("chat.errorTitle")}</h3>
        <p>{failure.code === "NO_MODEL" ? t("chat.noModel") : describeError(failure, language)}</p>
        {failure.code === "NO_MODEL" && (
          <button type="button" className="button" onClick={onOpenModel}>
            {t("chat.openModel")}
          </button>
        )}
      </section>
    );
  }
  // Finished, while the stored conversation is being fetched to replace this row.
  if (stream?.result) return <AnswerView question={question} data={fromResult(stream.result)} last={false} busy actions={actions} />;
  const status = !stream?.text ? (stream?.relevantDocIds ? t("chat.writing") : t("chat.reading")) : null;
  return (
    <section className="answer answer-streaming" aria-label={t("chat.answer")} aria-busy="true">
      {status && <p className="answer-status">{status}</p>}
      {stream?.text && (
        <div className="answer-body markdown" data-testid="answer">
          <SafeMarkdown text={stream.text} />
        </div>
      )}
    </section>
  );
}
