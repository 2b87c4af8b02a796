// Every file the library knows, with why a file was skipped or failed, filtered by status, format and text.
import { useDeferredValue, useId, useMemo, useState, type ReactNode } from "react";
import { DOCUMENT_FORMATS, DOCUMENT_STATUSES, type DocumentFormat, type DocumentStatus, type FileStatus } from "../../../shared/library.js";
import { useLanguage, useT } from "../i18n/index.js";
import { formatBytes } from "../ui/format.js";
import { visibleText } from "../ui/visible-text.js";

/** Rows drawn at once: a library of thousands of notes stays responsive, and the filter narrows it. */
const PAGE = 300;

/** The path inside its folder, shorter to scan; the cell's tooltip has the whole path. */
function relativePath(file: FileStatus): string {
  const rest = file.path.slice(file.folder.length);
  return file.path.startsWith(file.folder) && /^[\\/]/.test(rest) ? rest.slice(1) : file.path;
}

function matches(file: FileStatus, needle: string): boolean {
  return [file.path, file.title, file.reason ?? ""].some((field) => field.toLocaleLowerCase().includes(needle));
}

export function FileTable({ files }: { files: FileStatus[] }): ReactNode {
  const t = useT();
  const language = useLanguage();
  const statusId = useId();
  const formatId = useId();
  const textId = useId();
  const [status, setStatus] = useState<DocumentStatus | "all">("all");
  const [format, setFormat] = useState<DocumentFormat | "all">("all");
  const [text, setText] = useState("");
  const [limit, setLimit] = useState(PAGE);
  const needle = useDeferredValue(text.trim().toLocaleLowerCase());

  const counts = useMemo(() => {
    const byStatus: Record<DocumentStatus, number> = { indexed: 0, skipped: 0, failed: 0 };
    const byFormat = Object.fromEntries(DOCUMENT_FORMATS.map((value) => [value, 0])) as Record<DocumentFormat, number>;
    for (const file of files) {
      byStatus[file.status]++;
      byFormat[file.format]++;
    }
    return { byStatus, byFormat };
  }, [files]);
  const filtered = useMemo(
    () =>
      files.filter(
        (file) => (status === "all" || file.status === status) && (format === "all" || file.format === format) && (!needle || matches(file, needle)),
      ),
    [files, status, format, needle],
  );
  const shown = filtered.slice(0, limit);

  return (
    <section className="file-table" aria-labelledby={`${statusId}-title`}>
      <h2 id={`${statusId}-title`}>{t("library.files")}</h2>
      <div className="file-filters">
        <label htmlFor={statusId}>{t("library.filterStatus")}</label>
        <select id={statusId} value={status} onChange={(event) => setStatus(event.target.value as DocumentStatus | "all")} data-testid="file-status-filter">
          <option value="all">{t("library.statusAll", { count: files.length })}</option>
          {DOCUMENT_STATUSES.map((value) => (
            <option key={value} value={value}>
              {t(`library.status.${value}`)} ({counts.byStatus[value]})
            </option>
          ))}
        </select>
        <label htmlFor={formatId}>{t("library.filterFormat")}</label>
        <select id={formatId} value={format} onChange={(event) => setFormat(event.target.value as DocumentFormat | "all")} data-testid="file-format-filter">
          <option value="all">{t("library.formatAll")}</option>
          {DOCUMENT_FORMATS.filter((value) => counts.byFormat[value] > 0 || value === format).map((value) => (
            <option key={value} value={value}>
              {t(`search.format.${value}`)} ({counts.byFormat[value]})
            </option>
          ))}
        </select>
        <label htmlFor={textId}>{t("library.filterText")}</label>
        <input
          id={textId}
          type="search"
          value={text}
          placeholder={t("library.filterTextPlaceholder")}
          onChange={(event) => {
            setText(event.target.value);
            setLimit(PAGE);
          }}
          data-testid="file-text-filter"
        />
      </div>
      {files.length === 0 ? (
        <p className="empty">{t("library.noFiles")}</p>
      ) : filtered.length === 0 ? (
        <p className="empty">{t("library.noMatches")}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("library.col.status")}</th>
                <th scope="col">{t("library.col.file")}</th>
                <th scope="col" className="numeric">
                  {t("library.col.size")}
                </th>
                <th scope="col" className="numeric">
                  {t("library.col.chunks")}
                </th>
                <th scope="col">{t("library.col.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((file) => (
                <tr key={file.path} data-testid="file-row" data-status={file.status}>
                  <td>
                    <span className={`badge status-${file.status}`}>{t(`library.status.${file.status}`)}</span>
                  </td>
                  <td className="file-cell" title={visibleText(file.path)}>
                    <span className="file-title">{visibleText(file.title)}</span>
                    <span className="file-path">{visibleText(relativePath(file))}</span>
                  </td>
                  <td className="numeric">{formatBytes(file.size, language)}</td>
                  <td className="numeric">{file.chunks}</td>
                  <td className="file-reason">{visibleText(file.reason ?? "")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {filtered.length > shown.length && (
            <p className="file-more" role="status">
              {t("library.showing", { shown: shown.length, total: filtered.length })}{" "}
              <button type="button" className="button-quiet" onClick={() => setLimit((current) => current + PAGE)}>
                {t("library.showMore")}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
