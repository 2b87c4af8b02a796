// The pattern of a button that starts something in main: one action at a time, named so the
// button can say what is happening, and its outcome as a message (main's error in the UI's language).
import { useState } from "react";
import { useLanguage } from "../i18n/index.js";
import { messageOf } from "./format.js";

export interface ActionMessage {
  text: string;
  error: boolean;
}

export interface Action<K extends string> {
  busy: K | null;
  message: ActionMessage | null;
  /** Runs `action`; the text it returns, if any, becomes the message. `settled` runs after either outcome. */
  run(kind: K, action: () => Promise<string | null | void>): Promise<void>;
}

export function useAction<K extends string>(settled?: () => void): Action<K> {
  const language = useLanguage();
  const [busy, setBusy] = useState<K | null>(null);
  const [message, setMessage] = useState<ActionMessage | null>(null);
  const run = async (kind: K, action: () => Promise<string | null | void>) => {
    setBusy(kind);
    setMessage(null);
    try {
      const text = await action();
      if (text) setMessage({ text, error: false });
    } catch (cause) {
      setMessage({ text: messageOf(cause, language), error: true });
    } finally {
      setBusy(null);
      settled?.();
    }
  };
  return { busy, message, run };
}
