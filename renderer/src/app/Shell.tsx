// The window's layout: sections and conversations on the left, the chosen view on the right.
// The chat stays mounted while another view is shown, so a streaming answer and a draft survive.
import { useCallback, useRef, useState, type ReactNode } from "react";
import { ChatView, type ChatHandle } from "../chat/ChatView.js";
import { useStreamEvents } from "../chat/streams.js";
import { ConversationSidebar } from "../conversations/ConversationSidebar.js";
import { useT } from "../i18n/index.js";
import { LibraryView } from "../library/LibraryView.js";
import { SearchView } from "../library/SearchView.js";
import { ModelView } from "../model/ModelView.js";
import { SettingsView } from "../settings/SettingsView.js";
import { ErrorBoundary, RenderError } from "../ui/ErrorBoundary.js";
import { useShortcuts, type Command } from "./useShortcuts.js";

export const VIEWS = ["chat", "search", "library", "model", "settings"] as const;
export type View = (typeof VIEWS)[number];

const viewError = (error: Error, retry: () => void) => <RenderError kind="view" error={error} retry={retry} />;

/** One section of the window: what fails in it stays in it. */
function Section({ children, resetKey }: { children: ReactNode; resetKey?: unknown }): ReactNode {
  return (
    <ErrorBoundary resetKey={resetKey} fallback={viewError}>
      {children}
    </ErrorBoundary>
  );
}

export function Shell({ mac }: { mac: boolean }): ReactNode {
  const t = useT();
  const [view, setView] = useState<View>("chat");
  const [conversationId, setConversationId] = useState<number | null>(null);
  const [listVersion, setListVersion] = useState(0);
  const [search, setSearch] = useState({ query: "", key: 0 });
  const [renamed, setRenamed] = useState<{ id: number; title: string } | null>(null);
  const chat = useRef<ChatHandle>(null);
  const main = useRef<HTMLElement>(null);
  const chatPane = useRef<HTMLDivElement>(null);
  useStreamEvents();

  const showChat = useCallback(() => {
    setView("chat");
    // After the chat is visible again: a hidden textarea cannot take focus.
    requestAnimationFrame(() => chat.current?.focusInput());
  }, []);
  const newChat = useCallback(() => {
    setConversationId(null);
    showChat();
  }, [showChat]);
  const searchFor = useCallback((query: string) => {
    setSearch((current) => ({ query, key: current.key + 1 }));
    setView("search");
  }, []);
  const focusSearch = () => {
    setView("search");
    // SearchView focuses its field when it mounts; this covers pressing it again while already there.
    requestAnimationFrame(() => main.current?.querySelector<HTMLInputElement>('[data-testid="search-input"]')?.focus());
  };
  const onConversationsChanged = useCallback(() => setListVersion((n) => n + 1), []);
  const openModel = useCallback(() => setView("model"), []);

  // Escape stops an answer only from the chat itself: in the sidebar's filter or a form elsewhere it
  // keeps its own meaning (clearing the field), and views with panes of their own handle it there.
  const escapeIsForChat = () => {
    const focused = document.activeElement;
    return !focused || focused === document.body || (chatPane.current?.contains(focused) ?? false);
  };

  useShortcuts(mac, (command: Command) => {
    switch (command) {
      case "newChat":
        return newChat();
      case "focusInput":
        return showChat();
      case "focusSearch":
        return focusSearch();
      case "stop":
        return chat.current?.stop();
      case "escape":
        return view === "chat" && escapeIsForChat() && (chat.current?.escape() ?? false);
      case "openLibrary":
        return setView("library");
      case "openModel":
        return setView("model");
      case "openSettings":
        return setView("settings");
      case "export":
        return chat.current?.openExport();
    }
  });

  const labels: Record<View, string> = {
    chat: t("nav.chat"),
    search: t("nav.search"),
    library: t("nav.library"),
    model: t("nav.model"),
    settings: t("nav.settings"),
  };

  return (
    <div className="shell">
      <aside className="sidebar">
        <nav className="sections" aria-label={t("nav.label")}>
          <ul>
            {VIEWS.map((name) => (
              <li key={name}>
                <button
                  type="button"
                  className="section-button"
                  data-testid={`nav-${name}`}
                  aria-current={view === name ? "page" : undefined}
                  onClick={() => (name === "chat" ? showChat() : setView(name))}
                >
                  {labels[name]}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <Section resetKey={listVersion}>
          <ConversationSidebar
            selectedId={view === "chat" ? conversationId : null}
            version={listVersion}
            onSelect={(id) => {
              setConversationId(id);
              showChat();
            }}
            onNew={newChat}
            onDeleted={(id) => setConversationId((current) => (current === id ? null : current))}
            onRenamed={(id, title) => setRenamed({ id, title })}
          />
        </Section>
      </aside>
      <main className="view" ref={main}>
        <div className="view-pane" hidden={view !== "chat"} ref={chatPane}>
          <Section resetKey={conversationId}>
            <ChatView
              ref={chat}
              conversationId={conversationId}
              onConversationCreated={setConversationId}
              onConversationGone={() => setConversationId(null)}
              onConversationsChanged={onConversationsChanged}
              onOpenModel={openModel}
              onSearchInstead={searchFor}
              visible={view === "chat"}
              renamed={renamed}
            />
          </Section>
        </div>
        {view === "search" && (
          <div className="view-pane">
            <Section>
              <SearchView key={search.key} initialQuery={search.query} />
            </Section>
          </div>
        )}
        {view === "library" && (
          <div className="view-pane">
            <Section>
              <LibraryView />
            </Section>
          </div>
        )}
        {view === "model" && (
          <div className="view-pane">
            <Section>
              <ModelView />
            </Section>
          </div>
        )}
        {view === "settings" && (
          <div className="view-pane">
            <Section>
              <SettingsView />
            </Section>
          </div>
        )}
      </main>
    </div>
  );
}
