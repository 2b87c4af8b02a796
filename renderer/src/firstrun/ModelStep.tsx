// First-run step 2: a local .gguf, a catalog download, or an endpoint; or none, since search works without.
import type { ReactNode } from "react";
import type { LlmStatus } from "../../../shared/llm.js";
import { useT } from "../i18n/index.js";
import "../i18n/embeddings.js";
import { Catalog } from "../model/Catalog.js";
import { ModelControls } from "../model/ModelControls.js";
import { ModelStatusPanel } from "../model/ModelStatusPanel.js";
import { RemoteForm } from "../model/RemoteForm.js";
import { useSettings } from "../state/settings.js";

export function ModelStep({ status }: { status: LlmStatus | null }): ReactNode {
  const t = useT();
  const { settings } = useSettings();
  const ready = status?.state === "ready" && status.model;
  return (
    <>
      <p className="view-intro">{t("firstrun.modelIntro")}</p>
      {ready ? (
        <p className="first-run-ok" role="status">
          {t("firstrun.modelReady", { name: status.model?.name ?? "" })}
        </p>
      ) : settings.remote?.enabled ? (
        <p className="first-run-ok" role="status">
          {t("firstrun.remoteReady", { model: settings.remote.model })}
        </p>
      ) : null}
      {(status?.state === "loading" || status?.state === "failed") && <ModelStatusPanel status={status} />}
      <details className="first-run-option" open>
        <summary>{t("firstrun.optionFile")}</summary>
        <ModelControls status={status} />
      </details>
      <details className="first-run-option">
        <summary>{t("firstrun.optionDownload")}</summary>
        <Catalog />
      </details>
      <details className="first-run-option">
        <summary>{t("firstrun.optionRemote")}</summary>
        <RemoteForm />
      </details>
      {/* Suggested, not required: search and answers work by words without it. */}
      <details className="first-run-option" open data-testid="first-run-embedding">
        <summary>{t("embed.firstRunOption")}</summary>
        <p className="view-intro">{t("embed.firstRunIntro")}</p>
        <Catalog purpose="embedding" />
      </details>
    </>
  );
}
