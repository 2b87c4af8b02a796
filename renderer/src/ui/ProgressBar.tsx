// One progress bar for indexing, model loading and downloads, announced to screen readers.
import type { ReactNode } from "react";
import "../styles/progress.css";

export interface ProgressBarProps {
  /** 0..1, or null while the total is not known yet. */
  value: number | null;
  /** What is progressing, for screen readers. */
  label: string;
  /** The counts in words, shown under the bar and read out instead of a bare percentage. */
  text: string;
  testId?: string;
  /** Extra state for styles and tests, e.g. the indexing phase. */
  state?: string;
}

export function ProgressBar({ value, label, text, testId, state }: ProgressBarProps): ReactNode {
  const percent = value === null ? null : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className="progress" data-state={state}>
      <div
        className={percent === null ? "progress-track progress-indeterminate" : "progress-track"}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={text}
        data-testid={testId}
        data-state={state}
      >
        <div className="progress-fill" style={{ width: `${percent ?? 100}%` }} />
      </div>
      <p className="progress-text">{text}</p>
    </div>
  );
}
