// A choice among fixed values, saved as soon as it changes.
import { useId, useState, type ReactNode } from "react";
import type { Settings } from "../../../shared/api.js";
import { useLanguage } from "../i18n/index.js";
import { useSettings } from "../state/settings.js";
import { messageOf } from "../ui/format.js";

type ChoiceSetting = "language" | "theme" | "gpu";

export interface SelectFieldProps<N extends ChoiceSetting> {
  name: N;
  label: string;
  options: ReadonlyArray<{ value: Settings[N]; label: string }>;
  help?: string;
  testId: string;
}

export function SelectField<N extends ChoiceSetting>({ name, label, options, help, testId }: SelectFieldProps<N>): ReactNode {
  const { settings, update } = useSettings();
  const id = useId();
  const language = useLanguage();
  // The failure, described when shown: changing the language is one of the changes that can fail.
  const [failure, setFailure] = useState<unknown>(null);
  const error = failure === null ? null : messageOf(failure, language);
  const change = (value: string) => {
    setFailure(null);
    update({ [name]: value } as Partial<Settings>).catch((cause: unknown) => setFailure(cause));
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={settings[name]}
        onChange={(event) => change(event.target.value)}
        aria-describedby={help ? `${id}-help` : undefined}
        aria-invalid={error !== null}
        data-testid={testId}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {help && (
        <p id={`${id}-help`} className="field-help">
          {help}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
