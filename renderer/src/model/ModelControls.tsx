// Choose a .gguf and load it, or unload the one in use.
import type { ReactNode } from "react";
import type { LlmStatus } from "../../../shared/llm.js";
import { AUTO_CONTEXT } from "../../../shared/settings.js";
import { call } from "../api.js";
import { useLanguage, useT } from "../i18n/index.js";
import "../i18n/model.js";
import { useSettings } from "../state/settings.js";
import { describeError, formatNumber } from "../ui/format.js";
import { useAction } from "../ui/use-action.js";
import { gpuLabel, useLoadModel } from "./model-status.js";

export function ModelControls({ status }: { status: LlmStatus | null }): ReactNode {
  const t = useT();
  const language = useLanguage();
  const { settings } = useSettings();
  const load = useLoadModel();
  const { busy, message, run } = useAction<"loading" | "unloading">();
  const error = message?.error ? message.text : null;
  const choose = () =>
    run("loading", async () => {
      const path = await call("models.pickFile", {});
      if (path) await load(path);
    });
  const unload = () =>
    run("unloading", async () => {
      await call("models.unload", {});
    });
  const loading = busy === "loading" || status?.state === "loading";

  return (
    <div className="model-controls">
      <div className="model-buttons">
        <button type="button" className="button button-primary" onClick={choose} disabled={busy !== null || loading} data-testid="load-model">
          {loading ? t("model.loading") : t("model.choose")}
        </button>
        {status?.state === "ready" && (
          <button type="button" className="button-quiet" onClick={unload} disabled={busy !== null} data-testid="unload-model">
            {busy === "unloading" ? t("model.unloading") : t("model.unload")}
          </button>
        )}
      </div>
      <p className="field-help">{t("model.loadWith", {
          gpu: gpuLabel(t, settings.gpu),
          context:
            settings.contextSize === "auto"
              ? t("model.contextAuto", { min: formatNumber(AUTO_CONTEXT.min, language), max: formatNumber(AUTO_CONTEXT.max, language) })
              : t("model.contextValue", { count: settings.contextSize, tokens: formatNumber(settings.contextSize, language) }),
        })}</p>
      {/* A failed load is also in the status panel; this catches what never reached the host (a refused path). */}
      {error && !(status?.error && error === describeError(status.error, language)) && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
