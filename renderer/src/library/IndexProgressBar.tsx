// Indexing as it happens, from index.progress events: the library page and the first run both show it.
import { useState, type ReactNode } from "react";
import type { IndexProgress } from "../../../shared/library.js";
import { useEvent } from "../api.js";
import { useLanguage, useT } from "../i18n/index.js";
import "../i18n/library.js";
import { formatBytes, formatNumber } from "../ui/format.js";
import { ProgressBar } from "../ui/ProgressBar.js";

/** The latest progress report, or null until indexing has been seen to start. */
export function useIndexProgress(): IndexProgress | null {
  const [progress, setProgress] = useState<IndexProgress | null>(null);
  useEvent("index.progress", setProgress);
  return progress;
}

export function IndexProgressBar({ progress }: { progress: IndexProgress }): ReactNode {
  const t = useT();
  const language = useLanguage();
  const { phase, filesDone, filesTotal, bytesDone, bytesTotal } = progress;
  const value = phase === "done" ? 1 : phase === "scanning" || filesTotal === 0 ? null : filesDone / filesTotal;
  const text =
    phase === "done"
      ? t("library.progressDone", { count: filesTotal, total: formatNumber(filesTotal, language) })
      : phase === "scanning"
        ? t("library.progressScanning")
        : t("library.progressIndexing", {
            count: filesTotal,
            done: formatNumber(filesDone, language),
            total: formatNumber(filesTotal, language),
            bytesDone: formatBytes(bytesDone, language),
            bytesTotal: formatBytes(bytesTotal, language),
          });
  return <ProgressBar value={value} label={t("library.progressLabel")} text={text} testId="index-progress" state={phase} />;
}
