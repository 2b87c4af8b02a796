// The model page: what is loaded and on what hardware, load or unload, downloads, or an endpoint.
import type { ReactNode } from "react";
import { useT } from "../i18n/index.js";
import "../i18n/model.js";
import "../styles/model.css";
import "../styles/views.css";
import { EmbeddingModel } from "../embeddings/EmbeddingModel.js";
import { Catalog } from "./Catalog.js";
import { ModelControls } from "./ModelControls.js";
import { useModelStatus } from "./model-status.js";
import { ModelStatusPanel } from "./ModelStatusPanel.js";
import { RemoteForm } from "./RemoteForm.js";

export function ModelView(): ReactNode {
  const t = useT();
  const { status, error } = useModelStatus();
  return (
    <div className="model-view">
      <header className="view-header">
        <h1>{t("model.title")}</h1>
        <p className="view-intro">{t("model.intro")}</p>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ModelStatusPanel status={status} />
      <ModelControls status={status} />
      <Catalog />
      <RemoteForm />
      <EmbeddingModel />
    </div>
  );
}
