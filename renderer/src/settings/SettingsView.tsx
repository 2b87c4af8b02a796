// Settings: language and theme, how answers are generated, and how the model is loaded.
import type { ReactNode } from "react";
import { GPU_BACKENDS } from "../../../shared/llm.js";
import { useT } from "../i18n/index.js";
import "../i18n/settings.js";
import { gpuLabel } from "../model/model-status.js";
import "../styles/settings.css";
import "../styles/views.css";
import { ContextSizeField } from "./ContextSizeField.js";
import { NumberField } from "./NumberField.js";
import { SelectField } from "./SelectField.js";

export function SettingsView(): ReactNode {
  const t = useT();

  return (
    <div className="settings-view">
      <header className="view-header">
        <h1>{t("settings.title")}</h1>
      </header>
      <fieldset className="settings-group">
        <legend>{t("settings.appearance")}</legend>
        <SelectField
          name="language"
          label={t("settings.language")}
          testId="language-select"
          options={[
            { value: "auto", label: t("settings.language.auto") },
            { value: "en", label: "English" },
            { value: "ru", label: "Русский" },
          ]}
        />
        <SelectField
          name="theme"
          label={t("settings.theme")}
          testId="theme-select"
          options={[
            { value: "system", label: t("settings.theme.system") },
            { value: "light", label: t("settings.theme.light") },
            { value: "dark", label: t("settings.theme.dark") },
          ]}
        />
      </fieldset>
      <fieldset className="settings-group">
        <legend>{t("settings.generation")}</legend>
        <p className="field-help">{t("settings.generationIntro")}</p>
        <NumberField name="temperature" label={t("settings.temperature")} help={t("settings.temperatureHelp")} />
        <NumberField name="topK" label={t("settings.topK")} help={t("settings.topKHelp")} />
        <NumberField name="documentsPerQuestion" label={t("settings.documents")} help={t("settings.documentsHelp")} />
        <NumberField name="maxAnswerTokens" label={t("settings.maxAnswerTokens")} help={t("settings.maxAnswerTokensHelp")} />
      </fieldset>
      <fieldset className="settings-group">
        <legend>{t("settings.model")}</legend>
        <ContextSizeField />
        <SelectField name="gpu" label={t("settings.gpu")} help={t("settings.gpuHelp")} testId="gpu-select" options={GPU_BACKENDS.map((gpu) => ({ value: gpu, label: gpuLabel(t, gpu) }))} />
      </fieldset>
    </div>
  );
}
