import path from "node:path";
import type { ConvertedBook } from "./docx.js";
import { htmlToMarkdown } from "./html.js";
import { elements } from "./xml-bits.js";
import { ZipArchive } from "./zip.js";

const CHAPTER_TYPES = new Set(["application/xhtml+xml", "text/html"]);

/**
 * An EPUB (2 or 3) to Markdown: its chapters in reading order (the spine), each converted by the
 * HTML path, so scripts and styles are dropped and nothing in them runs or is fetched. The title is
 * the book's (dc:title); a chapter that does not begin with a heading gets its name from the table
 * of contents as one. Every entry read is bounded by the zip limits.
 */
export function epubToMarkdown(bytes: Buffer): ConvertedBook {
  const zip = new ZipArchive(bytes);
  if (!zip.has("META-INF/container.xml")) throw new Error("it is not an EPUB (it has no META-INF/container.xml)");
  const opfPath = elements(zip.text("META-INF/container.xml"), "rootfile")[0]?.attrs["full-path"];
  if (!opfPath || !zip.has(opfPath)) throw new Error("its package file is missing");
  const opf = zip.text(opfPath);
  const base = path.posix.dirname(opfPath);
  const resolve = (href: string) => path.posix.normalize(path.posix.join(base, safeDecode(href.replace(/#.*$/s, ""))));

  const manifest = new Map<string, { href: string; type: string; properties: string }>();
  for (const item of elements(opf, "item")) {
    const { id, href, "media-type": type = "", properties = "" } = item.attrs;
    if (id && href) manifest.set(id, { href: resolve(href), type, properties });
  }
  const labels = tocLabels(zip, opf, manifest);
  const chapters: string[] = [];
  for (const ref of elements(opf, "itemref")) {
    const item = ref.attrs.idref ? manifest.get(ref.attrs.idref) : undefined;
    if (!item || !CHAPTER_TYPES.has(item.type) || !zip.has(item.href)) continue;
    const markdown = htmlToMarkdown(zip.text(item.href), { xhtml: item.type === "application/xhtml+xml" }).markdown.trim();
    const label = labels.get(item.href);
    if (!markdown && !label) continue;
    chapters.push(label && !/^#{1,6}\s/.test(markdown) ? `# ${label}\n\n${markdown}` : markdown);
  }
  const title = elements(opf, "title")[0]?.text || undefined;
  return { markdown: chapters.join("\n\n"), title };
}

/** Chapter names by file: EPUB 3's navigation document, or else EPUB 2's NCX. */
function tocLabels(
  zip: ZipArchive,
  opf: string,
  manifest: Map<string, { href: string; type: string; properties: string }>,
): Map<string, string> {
  const labels = new Map<string, string>();
  const nav = [...manifest.values()].find((item) => item.properties.split(/\s+/).includes("nav"));
  if (nav && zip.has(nav.href)) {
    const navBase = path.posix.dirname(nav.href);
    const navs = elements(zip.text(nav.href), "nav");
    const toc = navs.find((n) => /\btoc\b/.test(n.attrs.type ?? "")) ?? navs[0];
    for (const link of elements(toc?.inner ?? "", "a")) {
      const href = link.attrs.href;
      if (!href) continue;
      const file = path.posix.normalize(path.posix.join(navBase, safeDecode(href.replace(/#.*$/s, ""))));
      if (link.text && !labels.has(file)) labels.set(file, link.text);
    }
    return labels;
  }
  const ncxId = elements(opf, "spine")[0]?.attrs.toc;
  const ncx = ncxId ? manifest.get(ncxId) : [...manifest.values()].find((item) => item.type === "application/x-dtbncx+xml");
  if (!ncx || !zip.has(ncx.href)) return labels;
  const ncxBase = path.posix.dirname(ncx.href);
  for (const point of elements(zip.text(ncx.href), "navPoint")) {
    const label = elements(point.inner, "text")[0]?.text;
    const src = elements(point.inner, "content")[0]?.attrs.src;
    if (!label || !src) continue;
    const file = path.posix.normalize(path.posix.join(ncxBase, safeDecode(src.replace(/#.*$/s, ""))));
    if (!labels.has(file)) labels.set(file, label);
  }
  return labels;
}

function safeDecode(href: string): string {
  try {
    return decodeURIComponent(href);
  } catch {
    return href;
  }
}
