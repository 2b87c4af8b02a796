// What DOCX and EPUB readers need from the small XML files that tools write into those zips (the
// package's rootfile, its manifest and spine, a table of contents, a title): elements by local name
// and their attributes, namespace prefixes ignored. No DTD is read, no entity beyond XML's own and
// numeric ones is expanded, and nothing is fetched.

export interface XmlElement {
  attrs: Record<string, string>;
  /** The text inside, tags removed and entities decoded; for elements with content. */
  text: string;
  /** The markup inside, as written. */
  inner: string;
}

const ATTR = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Every element with this local name (any prefix), in document order. */
export function elements(xml: string, localName: string): XmlElement[] {
  const name = localName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`<(?:[\\w.-]+:)?${name}\\b([^>]*?)(/?)>`, "g");
  const out: XmlElement[] = [];
  for (const match of xml.matchAll(pattern)) {
    const attrs: Record<string, string> = {};
    for (const [, key, double, single] of match[1]!.matchAll(ATTR)) attrs[key!.replace(/^[\w.-]+:/, "")] = decodeXml(double ?? single ?? "");
    let inner = "";
    if (!match[2]) {
      const close = new RegExp(`</(?:[\\w.-]+:)?${name}\\s*>`, "g");
      close.lastIndex = match.index + match[0].length;
      const end = close.exec(xml);
      inner = end ? xml.slice(match.index + match[0].length, end.index) : "";
    }
    out.push({ attrs, inner, text: decodeXml(inner.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1").replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim() });
  }
  return out;
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return XML_ENTITIES[body.toLowerCase()] ?? entity;
  });
}
