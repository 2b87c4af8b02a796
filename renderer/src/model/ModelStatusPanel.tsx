// What the model host is doing: state, backend, GPUs, memory, layers, context, and the model's facts.
import { useId, type ReactNode } from "react";
import type { LlmStatus } from "../../../shared/llm.js";
import { useLanguage, useT } from "../i18n/index.js";
import "../i18n/model.js";
import { describeError, formatBytes, formatNumber } from "../ui/format.js";
import { ProgressBar } from "../ui/ProgressBar.js";
import { BACKEND_NAMES } from "./model-status.js";

function Fact({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

export function ModelStatusPanel({ status }: { status: LlmStatus | null }): ReactNode {
  const t = useT();
  const language = useLanguage();
  const state = status?.state ?? "unloaded";
  const bytes = (value: number) => formatBytes(value, language);
  const model = status?.model ?? null;
  const titleId = useId();

  return (
    <section className="model-status" data-testid="model-status" data-state={state} aria-labelledby={titleId} aria-busy={status === null}>
      <h2 id={titleId} className="model-status-title">
        <span className={`state-dot state-${state}`} aria-hidden="true" />
        {status ? t(`model.state.${state}`) : t("model.status")}
        {model && <span className="model-name">{model.name}</span>}
      </h2>
      {status?.state === "loading" && (
        <ProgressBar
          value={status.loadProgress}
          label={t("model.loadProgress")}
          text={t("model.loadPercent", { percent: Math.round((status.loadProgress ?? 0) * 100) })}
          testId="model-load-progress"
        />
      )}
      {status?.error && (
        <div className="error" role="alert">
          <strong>{t("model.error")}</strong> <code>{status.error.code}</code>
          <p>{describeError(status.error, language)}</p>
        </div>
      )}
      {status?.state === "unloaded" && !status.error && (
        <p className="empty">
          {t("model.none")} {t("model.noneHint")}
        </p>
      )}
      {status && state === "ready" && (
        <dl className="model-facts">
          {status.backend && <Fact label={t("model.backend")}>{status.backend === "cpu" ? t("model.backend.cpu") : BACKEND_NAMES[status.backend]}</Fact>}
          {status.gpuDevices.length > 0 && <Fact label={t("model.gpus")}>{status.gpuDevices.join(", ")}</Fact>}
          {status.vram && (
            <Fact label={t("model.vram")}>
              {t("model.vramValue", { used: bytes(status.vram.used), total: bytes(status.vram.total) })}
              <meter className="vram-meter" min={0} max={status.vram.total} value={status.vram.used} aria-label={t("model.vram")} />
            </Fact>
          )}
          {status.layers && <Fact label={t("model.layers")}>{t("model.layersValue", status.layers)}</Fact>}
          {status.contextSize !== null && (
            <Fact label={t("model.context")}>
              <span data-testid="model-context">
                {status.contextMode === "auto"
                  ? t("model.contextChosen", { size: t("model.contextValue", { count: status.contextSize, tokens: formatNumber(status.contextSize, language) }) })
                  : t("model.contextValue", { count: status.contextSize, tokens: formatNumber(status.contextSize, language) })}
              </span>
            </Fact>
          )}
          {status.threads !== null && <Fact label={t("model.threads")}>{status.threads}</Fact>}
          {model && (
            <>
              <Fact label={t("model.architecture")}>{model.architecture}</Fact>
              <Fact label={t("model.parameters")}>{model.parameters ?? t("model.unknown")}</Fact>
              <Fact label={t("model.quantization")}>{model.quantization ?? t("model.unknown")}</Fact>
              <Fact label={t("model.size")}>{bytes(model.fileBytes)}</Fact>
              <Fact label={t("model.trained")}>
                {model.trainedContext === null ? t("model.unknown") : t("model.contextValue", { count: model.trainedContext, tokens: formatNumber(model.trainedContext, language) })}
              </Fact>
            </>
          )}
          {status.modelPath && (
            <Fact label={t("model.file")}>
              <span className="model-path">{status.modelPath}</span>
            </Fact>
          )}
        </dl>
      )}
    </section>
  );
}
