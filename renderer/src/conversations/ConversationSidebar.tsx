// The conversations: new, filter, rename in place, delete after a confirmation. All of it lives in
// the database, so the list is always what conversations.list says, listed again whenever main
// says a conversation changed, in this window or another.
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import type { ConversationSummary } from "../../../shared/chat.js";
import { call, useEvent } from "../api.js";
import { useLanguage, useT } from "../i18n/index.js";
import { messageOf } from "../ui/format.js";

export interface ConversationSidebarProps {
  selectedId: number | null;
  /** Bumped by the chat when a question changed the list. */
  version: number;
  onSelect(id: number): void;
  onNew(): void;
  onDeleted(id: number): void;
  onRenamed(id: number, title: string): void;
}

export function ConversationSidebar({ selectedId, version, onSelect, onNew, onDeleted, onRenamed }: ConversationSidebarProps): ReactNode {
  const t = useT();
  const language = useLanguage();
  const [filter, setFilter] = useState("");
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [reloads, setReloads] = useState(0);
  useEvent("conversations.changed", () => setReloads((n) => n + 1));
  const list = useRef<HTMLUListElement>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  /** After a delete: the conversation that took the deleted one's place gets focus, or New chat. */
  const focusAfterDelete = useRef<number | null>(null);

  /** After a cancelled delete: focus goes back to the button that asked. */
  const focusDeleteOf = useRef<number | null>(null);
  useEffect(() => {
    const id = focusDeleteOf.current;
    if (confirming !== null || id === null) return;
    focusDeleteOf.current = null;
    list.current?.querySelector<HTMLButtonElement>(`[data-delete-for="${id}"]`)?.focus();
  }, [confirming]);

  useEffect(() => {
    const index = focusAfterDelete.current;
    if (index === null) return;
    focusAfterDelete.current = null;
    const buttons = list.current?.querySelectorAll<HTMLButtonElement>(".conversation-open") ?? [];
    (buttons[Math.min(index, buttons.length - 1)] ?? newButton.current)?.focus();
  }, [items]);

  useEffect(() => {
    let current = true;
    const query = filter.trim();
    call("conversations.list", query ? { filter: query } : {})
      .then((list) => {
        if (!current) return;
        setItems(list);
        setError(null);
      })
      .catch((cause: unknown) => current && setError(messageOf(cause, language)));
    return () => {
      current = false;
    };
  }, [filter, version, reloads]);

  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setError(null);
    } catch (cause) {
      setError(messageOf(cause, language));
    }
    setReloads((n) => n + 1);
  };

  return (
    <nav className="conversations" aria-label={t("conversations.label")}>
      <div className="conversations-tools">
        <button type="button" className="button button-primary" ref={newButton} onClick={onNew} aria-keyshortcuts="Control+N Meta+N">
          {t("conversations.new")}
        </button>
        <button
          type="button"
          className="button-quiet"
          data-testid="import-conversation"
          onClick={() =>
            void act(async () => {
              const imported = await call("conversations.import", {});
              if (imported) onSelect(imported.id);
            })
          }
        >
          {t("conversations.import")}
        </button>
        <input
          type="search"
          className="conversations-filter"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          placeholder={t("conversations.filter")}
          aria-label={t("conversations.filter")}
        />
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {items.length === 0 && !error && <p className="conversations-empty">{filter.trim() ? t("conversations.noMatches") : t("conversations.none")}</p>}
      <ul className="conversation-list" ref={list}>
        {items.map((item, index) => (
          <li key={item.id} className={item.id === selectedId ? "conversation-item selected" : "conversation-item"} data-testid="conversation-item">
            {renaming === item.id ? (
              <RenameField
                initial={item.title}
                onDone={(title) => {
                  setRenaming(null);
                  if (title && title !== item.title)
                    void act(async () => {
                      const summary = await call("conversations.rename", { id: item.id, title });
                      onRenamed(summary.id, summary.title);
                    });
                }}
              />
            ) : confirming === item.id ? (
              <div className="conversation-confirm" role="group" aria-label={t("conversations.confirmDelete", { title: item.title })}>
                <span>{t("conversations.confirmDelete", { title: item.title })}</span>
                <button
                  type="button"
                  className="button button-danger"
                  onClick={() => {
                    setConfirming(null);
                    void act(async () => {
                      await call("conversations.delete", { id: item.id });
                      focusAfterDelete.current = index;
                      onDeleted(item.id);
                    });
                  }}
                >
                  {t("conversations.delete")}
                </button>
                {/* The safe choice has focus: Enter right after asking to delete does not delete. */}
                <button
                  type="button"
                  className="button-quiet"
                  onClick={() => {
                    focusDeleteOf.current = item.id;
                    setConfirming(null);
                  }}
                  autoFocus
                >
                  {t("action.cancel")}
                </button>
              </div>
            ) : (
              <>
                <button
                  type="button"
                  className="conversation-open"
                  onClick={() => onSelect(item.id)}
                  aria-current={item.id === selectedId ? "true" : undefined}
                  title={item.title}
                >
                  <span className="conversation-title">{item.title}</span>
                  <span className="conversation-meta">{t("conversations.messages", { count: item.messageCount })}</span>
                </button>
                <span className="conversation-actions">
                  <button type="button" className="icon-button" onClick={() => setRenaming(item.id)} aria-label={t("conversations.rename", { title: item.title })} title={t("conversations.renameShort")}>
                    ✎
                  </button>
                  <button type="button" className="icon-button" data-delete-for={item.id} onClick={() => setConfirming(item.id)} aria-label={t("conversations.deleteNamed", { title: item.title })} title={t("conversations.delete")}>
                    ×
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Enter or leaving the field saves; Escape keeps the old title. */
function RenameField({ initial, onDone }: { initial: string; onDone(title: string | null): void }): ReactNode {
  const t = useT();
  const [value, setValue] = useState(initial);
  const field = useRef<HTMLInputElement>(null);
  const finished = useRef(false);
  useEffect(() => field.current?.select(), []);
  const done = (title: string | null) => {
    if (finished.current) return;
    finished.current = true;
    onDone(title);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      done(value.trim() || null);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      done(null);
    }
  };
  return (
    <input
      ref={field}
      className="conversation-rename"
      value={value}
      maxLength={500}
      onChange={(event) => setValue(event.target.value)}
      onKeyDown={onKeyDown}
      onBlur={() => done(value.trim() || null)}
      aria-label={t("conversations.newTitle")}
      autoFocus
    />
  );
}
