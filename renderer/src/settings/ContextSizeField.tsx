// The model's context: chosen automatically for the memory there is, or a fixed number of tokens.
import { useId, useState, type ReactNode } from "react";
import { AUTO_CONTEXT, contextSizeSchema } from "../../../shared/settings.js";
import { useLanguage, useT } from "../i18n/index.js";
import { useSettings } from "../state/settings.js";
import { formatNumber, messageOf } from "../ui/format.js";
import { NumberInput } from "./NumberField.js";

/** The number a fixed context starts from when the person switches automatic off. */
const FIXED_START = AUTO_CONTEXT.min;
const fixedSchema = contextSizeSchema.options[1];

export function ContextSizeField(): ReactNode {
  const t = useT();
  const language = useLanguage();
  const { settings, update } = useSettings();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  // The box follows a click at once; the stored setting follows when main has saved it.
  const [pending, setPending] = useState<"auto" | number | null>(null);
  const current = pending ?? settings.contextSize;
  const auto = current === "auto";
  const choose = (next: "auto" | number) => {
    setError(null);
    setPending(next);
    update({ contextSize: next })
      .catch((cause: unknown) => setError(messageOf(cause, language)))
      .finally(() => setPending(null));
  };
  return (
    <div className="field-group">
      <div className="field field-check">
        <input id={id} type="checkbox" checked={auto} onChange={(event) => choose(event.target.checked ? "auto" : FIXED_START)} data-testid="setting-contextAuto" />
        <label htmlFor={id}>
          {t("settings.contextAuto", { min: formatNumber(AUTO_CONTEXT.min, language), max: formatNumber(AUTO_CONTEXT.max, language) })}
        </label>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <NumberInput
        label={t("settings.contextSize")}
        help={t("settings.contextSizeHelp")}
        schema={fixedSchema}
        value={auto ? FIXED_START : (current as number)}
        save={(value) => update({ contextSize: value })}
        testId="setting-contextSize"
        disabled={auto}
      />
    </div>
  );
}
