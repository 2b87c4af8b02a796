import path from "node:path";
import type { DocumentFormat } from "../../../shared/library.js";

const FORMATS: Record<string, DocumentFormat> = {
  ".md": "markdown",
  ".markdown": "markdown",
  ".txt": "text",
  ".html": "html",
  ".htm": "html",
  ".pdf": "pdf",
  ".docx": "docx",
  ".epub": "epub",
};

/** The format a file is read as, or undefined when Sourcebook does not read that kind of file. */
export function formatOf(filePath: string): DocumentFormat | undefined {
  return FORMATS[path.extname(filePath).toLowerCase()];
}
