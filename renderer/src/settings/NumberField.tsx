// A number setting: typed freely, checked against the contract's own limits, saved on blur or Enter.
import { useId, useState, type ReactNode } from "react";
import type { z } from "zod";
import { settingsSchema, type Settings } from "../../../shared/api.js";
import { useLanguage, useT } from "../i18n/index.js";
import { useSettings } from "../state/settings.js";
import { messageOf } from "../ui/format.js";

export type NumberSetting = "temperature" | "topK" | "documentsPerQuestion" | "maxAnswerTokens";

export function NumberField({ name, label, help }: { name: NumberSetting; label: string; help: string }): ReactNode {
  const { settings, update } = useSettings();
  return (
    <NumberInput
      label={label}
      help={help}
      schema={settingsSchema.shape[name]}
      value={settings[name]}
      save={(value) => update({ [name]: value } as Partial<Settings>)}
      testId={`setting-${name}`}
    />
  );
}

export interface NumberInputProps {
  label: string;
  help: string;
  schema: z.ZodNumber;
  /** The stored value; a change of it from elsewhere replaces what is typed. */
  value: number;
  save(value: number): Promise<void>;
  testId: string;
  disabled?: boolean;
}

export function NumberInput({ label, help, schema, value: stored, save, testId, disabled = false }: NumberInputProps): ReactNode {
  const t = useT();
  const language = useLanguage();
  const id = useId();
  const min = schema.minValue ?? 0;
  const max = schema.maxValue ?? Number.MAX_SAFE_INTEGER;
  const [draft, setDraft] = useState(String(stored));
  const [lastStored, setLastStored] = useState(stored);
  if (stored !== lastStored) {
    setLastStored(stored);
    setDraft(String(stored));
  }
  // Out of range is said in the UI's language at render time; main's refusal comes as it wrote it.
  const [state, setState] = useState<{ outOfRange: boolean; refused: string | null; saved: boolean }>({ outOfRange: false, refused: null, saved: false });
  const error = state.outOfRange ? t(schema.isInt ? "settings.invalidInteger" : "settings.invalidNumber", { min, max }) : state.refused;

  const commit = async () => {
    const value = Number(draft.trim().replace(",", "."));
    if (draft.trim() === "" || !schema.safeParse(value).success) {
      setState({ outOfRange: true, refused: null, saved: false });
      return;
    }
    if (value === stored) return setState({ outOfRange: false, refused: null, saved: false });
    try {
      await save(value);
      setState({ outOfRange: false, refused: null, saved: true });
    } catch (cause) {
      setState({ outOfRange: false, refused: messageOf(cause, language), saved: false });
    }
  };

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="field-row">
        <input
          id={id}
          type="text"
          inputMode={schema.isInt ? "numeric" : "decimal"}
          value={draft}
          disabled={disabled}
          onChange={(event) => {
            setDraft(event.target.value);
            setState({ outOfRange: false, refused: null, saved: false });
          }}
          onBlur={() => void commit()}
          onKeyDown={(event) => event.key === "Enter" && void commit()}
          aria-invalid={error !== null}
          aria-describedby={`${id}-help ${id}-error ${id}-saved`}
          data-testid={testId}
        />
        {/* Two regions that stay put: a live region whose role changes with its text is not reliably read. */}
        <span id={`${id}-error`} className="error" role="alert">
          {error}
        </span>
        <span id={`${id}-saved`} className="field-saved" role="status">
          {error === null && state.saved ? t("settings.saved") : ""}
        </span>
      </div>
      <p id={`${id}-help`} className="field-help">
        {help}
      </p>
    </div>
  );
}
