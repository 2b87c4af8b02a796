// An OpenAI-compatible endpoint to answer through instead of the local model, kept in the settings.
import { useId, useState, type FormEvent, type ReactNode } from "react";
import type { Settings, SettingsPatch } from "../../../shared/api.js";
import { DEFAULT_REMOTE_CONTEXT, remoteContextSizeSchema } from "../../../shared/settings.js";
import { isWebUrl } from "../../../shared/web-url.js";
import { useLanguage, useT } from "../i18n/index.js";
import "../i18n/model.js";
import { useSettings } from "../state/settings.js";
import "../styles/settings.css";
import { messageOf } from "../ui/format.js";

interface Draft {
  enabled: boolean;
  baseUrl: string;
  model: string;
  apiKey: string;
  contextSize: string;
}

const contextRange = remoteContextSizeSchema;

function draftOf(remote: Settings["remote"]): Draft {
  return {
    enabled: remote?.enabled ?? true,
    baseUrl: remote?.baseUrl ?? "",
    model: remote?.model ?? "",
    // Write-only: main never tells the key, so the field is for a new one.
    apiKey: "",
    contextSize: String(remote?.contextSize ?? DEFAULT_REMOTE_CONTEXT),
  };
}

export function RemoteForm(): ReactNode {
  const t = useT();
  const language = useLanguage();
  const { settings, update } = useSettings();
  const [draft, setDraft] = useState(() => draftOf(settings.remote));
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const ids = { title: useId(), enabled: useId(), url: useId(), model: useId(), key: useId(), keyHelp: useId(), context: useId(), contextHelp: useId() };

  const change = (patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setMessage(null);
  };
  const save = async (remote: NonNullable<SettingsPatch["remote"]> | null) => {
    setSaving(true);
    setMessage(null);
    try {
      await update({ remote });
      setDraft((current) => ({ ...current, apiKey: "" }));
      setMessage({ text: t("remote.saved"), error: false });
    } catch (cause) {
      setMessage({ text: messageOf(cause, language), error: true });
    } finally {
      setSaving(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const baseUrl = draft.baseUrl.trim();
    const model = draft.model.trim();
    if (!isWebUrl(baseUrl)) return setMessage({ text: t("remote.invalidUrl"), error: true });
    if (!model) return setMessage({ text: t("remote.needModel"), error: true });
    const contextSize = contextRange.safeParse(Number(draft.contextSize.trim()));
    if (!draft.contextSize.trim() || !contextSize.success) {
      return setMessage({ text: t("remote.invalidContext", { min: contextRange.minValue ?? 0, max: contextRange.maxValue ?? 0 }), error: true });
    }
    // An empty key field keeps the key there is.
    void save({ enabled: draft.enabled, baseUrl, model, contextSize: contextSize.data, ...(draft.apiKey.trim() ? { apiKey: draft.apiKey.trim() } : {}) });
  };
  const remove = () => {
    setDraft(draftOf(null));
    void save(null);
  };
  const removeKey = () => {
    const { enabled, baseUrl, model, contextSize } = settings.remote!;
    void save({ enabled, baseUrl, model, contextSize, apiKey: null });
  };
  const keyHelp = !settings.remote?.hasApiKey ? t("remote.apiKeyHelp") : settings.remote.apiKeySaved ? t("remote.apiKeySet") : t("remote.apiKeySession");

  return (
    <section className="remote" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t("remote.title")}</h2>
      <p className="view-intro">{t("remote.intro")}</p>
      {settings.remote?.enabled && (
        <p className="remote-active" role="status">
          {t("remote.active", { model: settings.remote.model, url: settings.remote.baseUrl })}
        </p>
      )}
      <form className="remote-form" onSubmit={submit} noValidate>
        <div className="field field-check">
          <input id={ids.enabled} type="checkbox" checked={draft.enabled} onChange={(event) => change({ enabled: event.target.checked })} data-testid="remote-enabled" />
          <label htmlFor={ids.enabled}>{t("remote.enabled")}</label>
        </div>
        <div className="field">
          <label htmlFor={ids.url}>{t("remote.baseUrl")}</label>
          <input
            id={ids.url}
            type="url"
            inputMode="url"
            placeholder="http://127.0.0.1:8080/v1"
            value={draft.baseUrl}
            onChange={(event) => change({ baseUrl: event.target.value })}
            spellCheck={false}
            autoComplete="off"
            data-testid="remote-url"
          />
        </div>
        <div className="field">
          <label htmlFor={ids.model}>{t("remote.model")}</label>
          <input id={ids.model} type="text" value={draft.model} onChange={(event) => change({ model: event.target.value })} spellCheck={false} autoComplete="off" data-testid="remote-model" />
        </div>
        <div className="field">
          <label htmlFor={ids.context}>{t("remote.contextSize")}</label>
          <input
            id={ids.context}
            type="text"
            inputMode="numeric"
            value={draft.contextSize}
            onChange={(event) => change({ contextSize: event.target.value })}
            aria-describedby={ids.contextHelp}
            autoComplete="off"
            data-testid="remote-context"
          />
          <p id={ids.contextHelp} className="field-help">
            {t("remote.contextSizeHelp")}
          </p>
        </div>
        <div className="field">
          <label htmlFor={ids.key}>{t("remote.apiKey")}</label>
          <input
            id={ids.key}
            type="password"
            value={draft.apiKey}
            onChange={(event) => change({ apiKey: event.target.value })}
            aria-describedby={ids.keyHelp}
            autoComplete="off"
            data-testid="remote-key"
          />
          <p id={ids.keyHelp} className="field-help" data-testid="remote-key-state">
            {keyHelp}
          </p>
          {settings.remote?.hasApiKey && (
            <button type="button" className="button-quiet" onClick={removeKey} disabled={saving} data-testid="remote-remove-key">
              {t("remote.removeKey")}
            </button>
          )}
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={saving} data-testid="remote-save">
            {t("remote.save")}
          </button>
          {settings.remote && (
            <button type="button" className="button-quiet" onClick={remove} disabled={saving}>
              {t("remote.remove")}
            </button>
          )}
        </div>
        {message && (
          <p className={message.error ? "error" : "form-message"} role={message.error ? "alert" : "status"}>
            {message.text}
          </p>
        )}
      </form>
    </section>
  );
}
