// The Model page's part about search by meaning: the embedding model in use, the catalog's
// embedding model to download and use, a file of one's own, or an embeddings endpoint.
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { isWebUrl } from "../../../shared/web-url.js";
import { call } from "../api.js";
import { useT } from "../i18n/index.js";
import "../i18n/embeddings.js";
import "../styles/embeddings.css";
import "../i18n/model.js";
import { Catalog } from "../model/Catalog.js";
import { useAction } from "../ui/use-action.js";
import { useEmbeddings, type EmbeddingsState } from "./embeddings-data.js";
import { EmbeddingModelLine } from "./EmbeddingStatus.js";

export function EmbeddingModel(): ReactNode {
  const t = useT();
  const state = useEmbeddings();
  const titleId = useId();
  const { busy, message, run } = useAction<"choosing">(state.refresh);
  const model = state.view?.model;
  const choose = () =>
    run("choosing", async () => {
      const modelPath = await call("models.pickFile", {});
      if (modelPath) await call("embeddings.useModel", { modelPath });
    });
  return (
    <section className="embedding-model" aria-labelledby={titleId} data-testid="embedding-model-section">
      <h2 id={titleId}>{t("embed.title")}</h2>
      <p className="view-intro">{t("embed.intro")}</p>
      <EmbeddingModelLine state={state} />
      <Catalog purpose="embedding" inUse={model?.kind === "local" ? model.location : null} />
      <div className="model-buttons">
        <button type="button" className="button" onClick={choose} disabled={busy !== null} data-testid="choose-embedding-model">
          {busy === "choosing" ? t("embed.choosing") : t("embed.chooseFile")}
        </button>
      </div>
      {message?.error && (
        <p className="error" role="alert">
          {message.text}
        </p>
      )}
      <EmbeddingEndpointForm state={state} />
    </section>
  );
}

function EmbeddingEndpointForm({ state }: { state: EmbeddingsState }): ReactNode {
  const t = useT();
  const model = state.view?.model;
  const remote = model?.kind === "remote" ? model : null;
  const [baseUrl, setBaseUrl] = useState(remote?.location ?? "");
  const [name, setName] = useState(remote?.name ?? "");
  const [apiKey, setApiKey] = useState("");
  const { busy, message, run } = useAction<"saving">(state.refresh);
  const ids = { title: useId(), url: useId(), model: useId(), key: useId(), keyHelp: useId() };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run("saving", async () => {
      const url = baseUrl.trim();
      if (!isWebUrl(url)) throw new Error(t("remote.invalidUrl"));
      if (!name.trim()) throw new Error(t("remote.needModel"));
      // An empty key field keeps the key there is for this server.
      await call("embeddings.useEndpoint", { baseUrl: url, model: name.trim(), ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}) });
      setApiKey("");
    });
  };
  return (
    <details className="embedding-endpoint" open={remote !== null}>
      <summary id={ids.title}>{t("embed.remoteTitle")}</summary>
      <p className="view-intro">{t("embed.remoteIntro")}</p>
      <form className="remote-form" onSubmit={submit} noValidate aria-labelledby={ids.title}>
        <div className="field">
          <label htmlFor={ids.url}>{t("embed.remoteUrl")}</label>
          <input id={ids.url} type="url" inputMode="url" placeholder="http://127.0.0.1:8080/v1" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} spellCheck={false} autoComplete="off" data-testid="embedding-url" />
        </div>
        <div className="field">
          <label htmlFor={ids.model}>{t("embed.remoteModel")}</label>
          <input id={ids.model} type="text" value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} autoComplete="off" data-testid="embedding-name" />
        </div>
        <div className="field">
          <label htmlFor={ids.key}>{t("embed.remoteKey")}</label>
          <input id={ids.key} type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} aria-describedby={ids.keyHelp} autoComplete="off" data-testid="embedding-key" />
          {state.view?.hasApiKey && (
            <p id={ids.keyHelp} className="field-help" data-testid="embedding-key-state">
              {t("embed.remoteKeyKept")}
            </p>
          )}
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy !== null} data-testid="embedding-endpoint-save">
            {busy === "saving" ? t("embed.remoteSaving") : t("embed.remoteUse")}
          </button>
        </div>
        {message?.error && (
          <p className="error" role="alert">
            {message.text}
          </p>
        )}
      </form>
    </details>
  );
}
