// Saves the conversation as Markdown, HTML or JSON through main's save dialog.
import { useImperativeHandle, useRef, useState, type ReactNode, type Ref } from "react";
import { TRANSCRIPT_FORMATS, type TranscriptFormat } from "../../../shared/api.js";
import { call, CallError } from "../api.js";
import { useT } from "../i18n/index.js";

export interface ExportHandle {
  open(): void;
}

export function ExportMenu({ conversationId, ref }: { conversationId: number; ref?: Ref<ExportHandle> }): ReactNode {
  const t = useT();
  const menu = useRef<HTMLDetailsElement>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
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
      setMessage({ text: cause instanceof CallError ? cause.message : String(cause), error: true });
    }
  };
  return (
    <div className="export">
      <details className="export-menu" ref={menu}>
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
