// The conversation, virtualized: only the rows on screen are in the DOM, each measured as it
// renders. It follows the newest text while an answer streams, unless the person scrolled up.
import { measureElement, useVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useLayoutEffect, useRef, type ReactNode } from "react";
import { useT } from "../i18n/index.js";
import { ErrorBoundary, RenderError } from "../ui/ErrorBoundary.js";
import { AnswerView, type AnswerActions } from "./AnswerView.js";
import type { Row } from "./rows.js";
import { StreamingAnswer } from "./StreamingAnswer.js";

/** Within this many pixels of the end counts as "at the bottom". */
const STICKY_PX = 48;

export interface MessageListProps {
  rows: readonly Row[];
  busy: boolean;
  actions: AnswerActions;
  onOpenModel(): void;
  /** Changes when another conversation is shown: jump to its end. */
  conversationKey: string;
  /** False while another view hides the chat. */
  visible: boolean;
}

/** A hidden chat (display: none) measures every row as 0: keep what each measured while it showed. */
function measureShown(element: HTMLDivElement, entry: ResizeObserverEntry | undefined, instance: Virtualizer<HTMLDivElement, HTMLDivElement>): number {
  if (element.getClientRects().length > 0) return measureElement(element, entry, instance);
  const index = instance.indexFromElement(element);
  return instance.itemSizeCache.get(instance.options.getItemKey(index)) ?? instance.options.estimateSize(index);
}

const MessageRow = memo(function MessageRow({ row, busy, actions, onOpenModel }: { row: Row; busy: boolean; actions: AnswerActions; onOpenModel(): void }): ReactNode {
  const t = useT();
  switch (row.kind) {
    case "question":
      return (
        <div className="question" aria-label={t("chat.question")}>
          <p>{row.text}</p>
        </div>
      );
    case "answer":
      return <AnswerView question={row.question} data={row.data} last={row.last} busy={busy} actions={actions} />;
    case "stream":
      return <StreamingAnswer question={row.question} streamId={row.streamId} error={row.error} actions={actions} onOpenModel={onOpenModel} />;
  }
});

const messageError = (error: Error) => <RenderError kind="message" error={error} />;

export function MessageList({ rows, busy, actions, onOpenModel, conversationKey, visible }: MessageListProps): ReactNode {
  const t = useT();
  const scroller = useRef<HTMLDivElement>(null);
  const stuck = useRef(true);
  /** Where the person had scrolled to: hiding the pane loses it. */
  const lastTop = useRef(0);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (rows[index]?.kind === "question" ? 64 : 240),
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 4,
    measureElement: measureShown,
  });
  const totalSize = virtualizer.getTotalSize();

  const onScroll = useCallback(() => {
    const el = scroller.current;
    // A hidden pane reports nothing worth keeping.
    if (!el || el.clientHeight === 0) return;
    stuck.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_PX;
    lastTop.current = el.scrollTop;
  }, []);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && visible) el.scrollTop = stuck.current ? el.scrollHeight : lastTop.current;
  }, [visible]);

  // A new conversation, or a new question: start from the end again.
  useLayoutEffect(() => {
    stuck.current = true;
  }, [conversationKey, rows.length]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stuck.current) el.scrollTop = el.scrollHeight;
  }, [totalSize, conversationKey, rows.length]);

  return (
    // Focusable, so that the keyboard can scroll the conversation.
    <div className="messages" ref={scroller} onScroll={onScroll} tabIndex={0} role="region" aria-label={t("chat.messages")}>
      <div role="list" className="messages-inner" style={{ height: totalSize }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <div
              key={item.key}
              role="listitem"
              // Only the rows on screen exist: say where each sits in the whole conversation.
              aria-setsize={rows.length}
              aria-posinset={item.index + 1}
              data-testid="message"
              data-kind={row.kind}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="message-row"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <ErrorBoundary resetKey={row} fallback={messageError}>
                <MessageRow row={row} busy={row.kind === "answer" && row.last ? busy : false} actions={actions} onOpenModel={onOpenModel} />
              </ErrorBoundary>
            </div>
          );
        })}
      </div>
    </div>
  );
}
