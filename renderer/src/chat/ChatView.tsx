// Questions and streamed answers within one conversation, with the source preview beside them.
import { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type Ref } from "react";
import type { ApiError } from "../../../shared/api.js";
import type { SourceRef, StoredMessage } from "../../../shared/chat.js";
import { call, CallError } from "../api.js";
import { useLanguage, useT } from "../i18n/index.js";
import { describeError, messageOf } from "../ui/format.js";
import type { AnswerActions } from "./AnswerView.js";
import { MessageList } from "./MessageList.js";
import { Preview } from "./Preview.js";
import { ExportMenu, type ExportHandle } from "./ExportMenu.js";
import { buildRows, type Turn } from "./rows.js";
import "../styles/chat.css";
import { forgetStream, streamState, watchStream, type StreamState } from "./streams.js";

/** What the app's shortcuts and menu ask of the chat. */
export interface ChatHandle {
  focusInput(): void;
  /** Escape: closes the preview, else stops the answer; false when there was nothing to do. */
  escape(): boolean;
  stop(): void;
  openExport(): void;
}

export interface ChatViewProps {
  conversationId: number | null;
  /** A question started a new conversation. */
  onConversationCreated(id: number): void;
  /** The conversation on screen no longer exists (main removes one whose first answer failed). */
  onConversationGone(): void;
  /** Titles, counts or order in the sidebar may have changed. */
  onConversationsChanged(): void;
  onOpenModel(): void;
  onSearchInstead(question: string): void;
  /** The chat pane is on screen; hidden, it keeps its state but measures nothing. */
  visible: boolean;
  /** The sidebar renamed a conversation: the header follows when it is this one. */
  renamed: { id: number; title: string } | null;
  ref?: Ref<ChatHandle>;
}

function apiError(cause: unknown): ApiError {
  return cause instanceof CallError ? { code: cause.code, message: cause.message } : { code: "INTERNAL", message: messageOf(cause, "en") };
}

export function ChatView({ conversationId, onConversationCreated, onConversationGone, onConversationsChanged, onOpenModel, onSearchInstead, visible, renamed, ref }: ChatViewProps): ReactNode {
  const t = useT();
  const language = useLanguage();
  const [messages, setMessages] = useState<StoredMessage[]>([]);
  const [title, setTitle] = useState("");
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [turn, setTurn] = useState<Turn | null>(null);
  const [preview, setPreview] = useState<SourceRef | null>(null);
  const [draft, setDraft] = useState("");
  const [announcement, setAnnouncement] = useState("");
  /** Shown under the composer: why Send waits, or why Export had nothing to save. */
  const [notice, setNotice] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);
  const exportMenu = useRef<ExportHandle>(null);
  const shownId = useRef(conversationId);
  shownId.current = conversationId;
  const currentTurn = useRef(turn);
  useEffect(() => {
    currentTurn.current = turn;
  }, [turn]);

  const load = useCallback(async (id: number | null) => {
    if (id === null) {
      setMessages([]);
      setTitle("");
      setLoadError(null);
      return;
    }
    try {
      const conversation = await call("conversations.get", { id });
      if (shownId.current !== id) return;
      setMessages(conversation.messages);
      setTitle(conversation.title);
      setLoadError(null);
    } catch (cause) {
      if (shownId.current !== id) return;
      setMessages([]);
      setLoadError(apiError(cause));
    }
  }, []);

  useEffect(() => {
    setPreview(null);
    setNotice("");
    void load(conversationId);
  }, [conversationId, load]);

  useEffect(() => {
    if (renamed && renamed.id === shownId.current) setTitle(renamed.title);
  }, [renamed]);

  const finish = useCallback(
    async (stream: StreamState) => {
      if (stream.result) {
        if (stream.conversationId !== null && stream.conversationId === shownId.current) await load(stream.conversationId);
        setTurn(null);
        setAnnouncement(stream.result.refused ? t("refusal.title") : stream.result.stopped ? t("chat.stopped") : t("chat.complete"));
      } else {
        const error = stream.error ?? { code: "INTERNAL", message: "" };
        // A first answer that fails takes its new, empty conversation with it: the error then
        // stands in a fresh chat, and the question goes back into the composer to try again.
        const gone =
          stream.conversationId !== null &&
          (await call("conversations.get", { id: stream.conversationId }).then(
            () => false,
            (cause: unknown) => cause instanceof CallError && cause.code === "NOT_FOUND",
          ));
        // The error row is an alert of its own: announcing it here too would say it twice.
        setTurn((current) => (current?.streamId === stream.streamId ? { ...current, error, ...(gone ? { conversationId: null } : {}) } : current));
        if (gone && shownId.current === stream.conversationId) {
          onConversationGone();
          const question = currentTurn.current?.streamId === stream.streamId ? currentTurn.current.question : "";
          setDraft((draft) => draft || question);
        }
      }
      forgetStream(stream.streamId);
      onConversationsChanged();
    },
    [load, onConversationsChanged, onConversationGone, t],
  );

  const latestFinish = useRef(finish);
  latestFinish.current = finish;
  const streamId = turn?.streamId ?? null;
  useEffect(() => {
    if (!streamId) return;
    // Only the end of the stream matters here; the deltas re-render the streaming row alone.
    const check = () => {
      const state = streamState(streamId);
      if (state?.finished) void latestFinish.current(state);
    };
    check();
    return watchStream(streamId, check);
  }, [streamId]);

  // One answer at a time for the whole chat, but only the conversation it belongs to can stop it.
  const busy = turn !== null && turn.error === null;
  // A turn belongs to the conversation it was asked in; another conversation does not show it.
  const visibleTurn = turn && turn.conversationId === conversationId ? turn : null;
  const busyHere = busy && visibleTurn !== null;

  const start = useCallback(
    async (pending: Turn, request: () => Promise<{ streamId: string; conversationId: number }>) => {
      setTurn(pending);
      setAnnouncement("");
      try {
        const started = await request();
        setTurn((current) => (current === pending ? { ...pending, streamId: started.streamId, conversationId: started.conversationId } : current));
        if (pending.conversationId === null) onConversationCreated(started.conversationId);
        onConversationsChanged();
      } catch (cause) {
        setTurn((current) => (current === pending ? { ...pending, error: apiError(cause) } : current));
      }
    },
    [onConversationCreated, onConversationsChanged],
  );

  const send = useCallback(() => {
    const question = draft.trim();
    if (!question || busy) return;
    setDraft("");
    void start({ question, conversationId, streamId: null, regenerate: false, title: title || question, error: null }, () =>
      call("chat.ask", conversationId === null ? { question } : { question, conversationId }),
    );
  }, [draft, busy, conversationId, title, start]);

  const stop = useCallback(() => {
    if (visibleTurn?.streamId && busyHere) void call("chat.cancel", { streamId: visibleTurn.streamId }).catch(() => {});
  }, [visibleTurn, busyHere]);

  const actions = useMemo<AnswerActions>(
    () => ({
      onOpenSource: setPreview,
      onSearchInstead,
      onRegenerate: () => {
        const question = messages.findLast((m) => m.role === "user")?.content;
        if (conversationId === null || question === undefined || busy) return;
        void start({ question, conversationId, streamId: null, regenerate: true, title, error: null }, () => call("chat.regenerate", { conversationId }));
      },
    }),
    [onSearchInstead, messages, conversationId, title, busy, start],
  );

  useImperativeHandle(
    ref,
    () => ({
      focusInput: () => input.current?.focus(),
      escape: () => {
        if (preview) {
          setPreview(null);
          input.current?.focus();
          return true;
        }
        if (busyHere) {
          stop();
          return true;
        }
        return false;
      },
      stop,
      openExport: () => {
        if (exportMenu.current) exportMenu.current.open();
        else setNotice(t("export.nothing"));
      },
    }),
    [preview, busyHere, stop, t],
  );

  const rows = useMemo(() => buildRows(messages, visibleTurn), [messages, visibleTurn]);

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <div className={preview ? "chat chat-with-preview" : "chat"}>
      <section className="chat-main" aria-label={t("nav.chat")}>
        {conversationId !== null && (
          <header className="chat-header">
            <h1 className="chat-title">{title || visibleTurn?.question}</h1>
            <ExportMenu key={conversationId} ref={exportMenu} conversationId={conversationId} />
          </header>
        )}
        {loadError && !visibleTurn && (
          <p className="error" role="alert">
            {describeError(loadError, language)}
          </p>
        )}
        {rows.length === 0 ? (
          <div className="chat-empty">
            <h2>{t("chat.emptyTitle")}</h2>
            <p>{t("chat.emptyHint")}</p>
          </div>
        ) : (
          <MessageList rows={rows} busy={busy} actions={actions} onOpenModel={onOpenModel} conversationKey={String(conversationId)} visible={visible} />
        )}
        <form
          className="composer"
          onSubmit={(event) => {
            event.preventDefault();
            send();
          }}
        >
          <label htmlFor="question-input" className="visually-hidden">
            {t("chat.inputLabel")}
          </label>
          <textarea
            id="question-input"
            ref={input}
            data-testid="question-input"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={onKeyDown}
            placeholder={t("chat.placeholder")}
            rows={2}
            maxLength={8000}
            autoFocus
            aria-keyshortcuts="Control+L Meta+L"
          />
          {busyHere ? (
            <button type="button" className="button button-stop" data-testid="stop" onClick={stop} aria-keyshortcuts="Escape" disabled={!visibleTurn.streamId}>
              {t("chat.stop")}
            </button>
          ) : (
            <button
              type="submit"
              className="button button-primary"
              data-testid="send"
              disabled={!draft.trim() || busy}
              aria-describedby={busy ? "composer-note" : undefined}
            >
              {t("chat.send")}
            </button>
          )}
        </form>
        <p className="composer-note" id="composer-note" data-testid="composer-note" role="status">
          {busy && !busyHere ? t("chat.busyElsewhere", { title: turn.title }) : notice}
        </p>
        <div className="visually-hidden" role="status" aria-live="polite">
          {announcement}
        </div>
      </section>
      {preview && <Preview source={preview} onClose={() => setPreview(null)} fallbackFocus={() => input.current?.focus()} />}
    </div>
  );
}
