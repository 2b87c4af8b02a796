// The walkthrough a new person sees: add a notes folder, get a model (or skip it), done.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useT } from "../i18n/index.js";
import "../i18n/firstrun.js";
import "../i18n/library.js";
import "../i18n/model.js";
import { useIndexProgress } from "../library/IndexProgressBar.js";
import { useModelStatus } from "../model/model-status.js";
import { useSettings } from "../state/settings.js";
import "../styles/firstrun.css";
import "../styles/library.css";
import "../styles/model.css";
import "../styles/views.css";
import { FolderStep } from "./FolderStep.js";
import { ModelStep } from "./ModelStep.js";

const STEPS = ["folder", "model", "done"] as const;

export function FirstRun({ onDone }: { onDone(): void }): ReactNode {
  const t = useT();
  const { settings } = useSettings();
  const [step, setStep] = useState(0);
  const [folders, setFolders] = useState<string[]>([]);
  const progress = useIndexProgress();
  const { status } = useModelStatus();
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  // Each step announces itself: focus goes to its heading, as on a new page. Not on first paint.
  useEffect(() => {
    if (moved.current) heading.current?.focus();
    moved.current = true;
  }, [step]);

  const hasModel = status?.state === "ready" || settings.remote?.enabled === true;
  const current = STEPS[step] ?? "done";
  const title = current === "folder" ? t("firstrun.folderTitle") : current === "model" ? t("firstrun.modelTitle") : t("firstrun.doneTitle");

  return (
    <main className="first-run" data-testid="first-run">
      <header className="first-run-header">
        <h1>{t("firstrun.welcome")}</h1>
        <p className="view-intro">{t("firstrun.tagline")}</p>
        <ol className="first-run-steps" aria-label={t("firstrun.steps")}>
          {STEPS.map((name, index) => (
            <li key={name} aria-current={index === step ? "step" : undefined} className={index < step ? "done" : undefined}>
              <span className="first-run-step-number" aria-hidden="true">
                {index + 1}
              </span>
              {t(`firstrun.step.${name}`)}
            </li>
          ))}
        </ol>
      </header>
      <section className="first-run-body" aria-labelledby="first-run-title">
        <p className="first-run-count">{t("firstrun.step", { n: step + 1, total: STEPS.length })}</p>
        <h2 id="first-run-title" ref={heading} tabIndex={-1}>
          {title}
        </h2>
        {current === "folder" && <FolderStep folders={folders} onAdded={(path) => setFolders((list) => (list.includes(path) ? list : [...list, path]))} progress={progress} />}
        {current === "model" && <ModelStep status={status} />}
        {current === "done" && (
          <ul className="first-run-summary">
            <li>{t("firstrun.doneFolders", { count: folders.length })}</li>
            {progress && progress.phase !== "done" && <li>{t("firstrun.doneIndexing")}</li>}
            <li>
              {status?.state === "ready" && status.model
                ? t("firstrun.doneModel", { name: status.model.name })
                : settings.remote?.enabled
                  ? t("firstrun.doneRemote", { model: settings.remote.model, url: settings.remote.baseUrl })
                  : t("firstrun.doneNoModel")}
            </li>
          </ul>
        )}
      </section>
      <footer className="first-run-nav">
        {step > 0 && (
          <button type="button" className="button-quiet" onClick={() => setStep(step - 1)}>
            {t("firstrun.back")}
          </button>
        )}
        {current === "folder" && (
          <button type="button" className="button button-primary" onClick={() => setStep(1)} disabled={folders.length === 0} data-testid="first-run-next">
            {t("firstrun.next")}
          </button>
        )}
        {current === "model" && (
          <button type="button" className={hasModel ? "button button-primary" : "button"} onClick={() => setStep(2)} data-testid="first-run-next">
            {hasModel ? t("firstrun.next") : t("firstrun.skipModel")}
          </button>
        )}
        {current === "done" && (
          <button type="button" className="button button-primary" onClick={onDone} data-testid="first-run-done">
            {t("firstrun.start")}
          </button>
        )}
      </footer>
    </main>
  );
}
