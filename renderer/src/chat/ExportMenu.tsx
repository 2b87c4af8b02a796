// Saves the conversation as Markdown, HTML or JSON through main's save dialog.
import { useEffect, useImperativeHandle, useRef, useState, type KeyboardEvent, type ReactNode, type Ref } from "react";
import { TRANSCRIPT_FORMATS, type TranscriptFormat } from "../../../shared/api.js";
import { call } from "../api.js";
import { useLanguage, useT } from "../i18n/index.js";
import { messageOf } from "../ui/format.js";

export interface ExportHandle {
  open(): void;
}

export function ExportMenu({ conversationId, ref }: { conversationId: number; ref?: Ref<ExportHandle> }): ReactNode {
  const t = useT();
  const language = useLanguage();
  const menu = useRef<HTMLDetailsElement>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  // A click anywhere else closes the menu, as a menu does.
  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      if (menu.current?.open && event.target instanceof Node && !menu.current.contains(event.target)) menu.current.open = false;
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDetailsElement>) => {
    if (event.key !== "Escape" || !menu.current?.open) return;
    // Closing the menu is all this Escape does: it must not also stop the answer.
    event.preventDefault();
    menu.current.open = false;
    menu.current.querySelector("summary")?.focus();
  };
  useImperativeHandle(ref, () => ({
    open: () => {
      if (!menu.current) return;
      menu.current.open = true;
      menu.current.querySelector("button")?.focus();
    },
  }));
  const save = async (format: TranscriptFormat) => {
    if (menu.current) menu.current.open = false;
    try {
      const path = await call("conversations.export", { id: conversationId, format });
      setMessage(path ? { text: t("export.saved", { path }), error: false } : null);
    } catch (cause) {
      setMessage({ text: messageOf(cause, language), error: true });
    }
  };
  return (
    <div className="export">
      <details className="export-menu" ref={menu} onKeyDown={onKeyDown}>
        <summary className="button-quiet">{t("export.label")}</summary>
        <div className="export-options" role="group" aria-label={t("export.label")}>
          {TRANSCRIPT_FORMATS.map((format) => (
            <button key={format} type="button" className="button-quiet" data-testid={`export-${format}`} onClick={() => void save(format)}>
              {t(`export.${format}`)}
            </button>
          ))}
        </div>
      </details>
      {message && (
        <span className={message.error ? "error" : "export-saved"} role="status">
          {message.text}
        </span>
      )}
    </div>
  );
}
