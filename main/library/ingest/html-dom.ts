import { Parser } from "htmlparser2";

/**
 * The part of the DOM that turndown and its GFM plugin read, built by htmlparser2. Turndown's own
 * parser (domino) builds a whole standards DOM, and converting spent most of its time there: in the
 * parse, in its accessors and in collecting its garbage; and a table's rows, asked for once per row,
 * made a table of 20,000 rows take minutes. This tree is plain fields, built for one conversion and
 * then dropped. What it does not redo of the standard parser: misnested inline formatting
 * (`<b><i></b></i>`) keeps its text but not the formatting after the misnesting.
 */
abstract class LiteNode {
  abstract readonly nodeType: number;
  abstract readonly nodeName: string;
  parentNode: LiteElement | null = null;
  previousSibling: LiteNode | null = null;
  nextSibling: LiteNode | null = null;
  abstract get textContent(): string;
}

class LiteText extends LiteNode {
  readonly nodeType = 3;
  readonly nodeName = "#text";
  constructor(public data: string) {
    super();
  }
  get nodeValue(): string {
    return this.data;
  }
  get textContent(): string {
    return this.data;
  }
}

/** Counts every change to any tree, so that what is computed from one knows when it is stale. */
let mutations = 0;

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]);

class LiteElement extends LiteNode {
  readonly nodeType = 1;
  readonly nodeName: string;
  firstChild: LiteNode | null = null;
  lastChild: LiteNode | null = null;
  // Children are a linked list, so that removing one (turndown drops every blank text node) costs
  // nothing; the arrays turndown and the plugin ask for, once per child or row, are made again
  // only after a change.
  private childArray: { at: number; value: LiteNode[] } | undefined;
  private elementChildren: { at: number; value: LiteElement[] } | undefined;
  private tableRows: { at: number; value: LiteElement[] } | undefined;
  constructor(
    readonly localName: string,
    private readonly attributes: Record<string, string>,
  ) {
    super();
    this.nodeName = localName.toUpperCase();
  }
  get childNodes(): LiteNode[] {
    if (this.childArray?.at !== mutations) {
      const value: LiteNode[] = [];
      for (let child = this.firstChild; child; child = child.nextSibling) value.push(child);
      this.childArray = { at: mutations, value };
    }
    return this.childArray.value;
  }
  get children(): LiteElement[] {
    if (this.elementChildren?.at !== mutations) {
      this.elementChildren = { at: mutations, value: this.childNodes.filter((n): n is LiteElement => n instanceof LiteElement) };
    }
    return this.elementChildren.value;
  }
  get lastElementChild(): LiteElement | null {
    return this.children.at(-1) ?? null;
  }
  get textContent(): string {
    const parts: string[] = [];
    collectText(this, parts);
    return parts.join("");
  }
  getAttribute(name: string): string | null {
    return Object.hasOwn(this.attributes, name) ? this.attributes[name]! : null;
  }
  get className(): string {
    return this.getAttribute("class") ?? "";
  }
  get classList(): { contains(name: string): boolean } {
    const names = this.className.split(/\s+/);
    return { contains: (name) => names.includes(name) };
  }
  get type(): string {
    return (this.getAttribute("type") ?? "").toLowerCase();
  }
  get checked(): boolean {
    return this.getAttribute("checked") !== null;
  }
  /** Only what the GFM plugin reads of a cell's style: its alignment. */
  get style(): { textAlign: string } {
    const match = /(?:^|;)\s*text-align\s*:\s*([a-z-]+)/i.exec(this.getAttribute("style") ?? "");
    return { textAlign: match ? match[1]! : "" };
  }
  getElementsByTagName(name: string): LiteElement[] {
    const wanted = name.toUpperCase();
    const found: LiteElement[] = [];
    const visit = (element: LiteElement) => {
      for (let child = element.firstChild; child; child = child.nextSibling) {
        if (!(child instanceof LiteElement)) continue;
        if (child.nodeName === wanted) found.push(child);
        visit(child);
      }
    };
    visit(this);
    return found;
  }
  /** Tag names only: the plugin asks for a table's caption. */
  querySelector(selector: string): LiteElement | null {
    return this.getElementsByTagName(selector)[0] ?? null;
  }
  get caption(): LiteElement | null {
    return this.children.find((child) => child.nodeName === "CAPTION") ?? null;
  }
  /** A table's rows as the DOM orders them: the header's, then the body's, then the footer's. */
  get rows(): LiteElement[] {
    if (this.tableRows?.at !== mutations) this.tableRows = { at: mutations, value: this.rowsInOrder() };
    return this.tableRows.value;
  }
  private rowsInOrder(): LiteElement[] {
    const sections = this.children;
    const rowsOf = (parent: LiteElement) => parent.children.filter((child) => child.nodeName === "TR");
    const ofSection = (name: string) => sections.filter((child) => child.nodeName === name).flatMap(rowsOf);
    const body = sections.flatMap((child) => (child.nodeName === "TR" ? [child] : child.nodeName === "TBODY" ? rowsOf(child) : []));
    return [...ofSection("THEAD"), ...body, ...ofSection("TFOOT")];
  }
  get outerHTML(): string {
    const attributes = Object.entries(this.attributes)
      .map(([name, value]) => ` ${name}="${value.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"`)
      .join("");
    if (VOID.has(this.localName)) return `<${this.localName}${attributes}>`;
    const inner = this.childNodes.map((child) => (child instanceof LiteElement ? child.outerHTML : escapeText((child as LiteText).data))).join("");
    return `<${this.localName}${attributes}>${inner}</${this.localName}>`;
  }
  /** Turndown copies its input before it collapses whitespace; this tree exists for that one conversion. */
  cloneNode(): this {
    return this;
  }
  removeChild(child: LiteNode): LiteNode {
    if (child.parentNode !== this) throw new Error("not a child of this element");
    mutations++;
    if (child.previousSibling) child.previousSibling.nextSibling = child.nextSibling;
    else this.firstChild = child.nextSibling;
    if (child.nextSibling) child.nextSibling.previousSibling = child.previousSibling;
    else this.lastChild = child.previousSibling;
    child.parentNode = child.previousSibling = child.nextSibling = null;
    return child;
  }
  append(child: LiteNode): void {
    mutations++;
    if (this.lastChild) {
      this.lastChild.nextSibling = child;
      child.previousSibling = this.lastChild;
    } else this.firstChild = child;
    this.lastChild = child;
    child.parentNode = this;
  }
}

function collectText(element: LiteElement, parts: string[]): void {
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child instanceof LiteText) parts.push(child.data);
    else collectText(child as LiteElement, parts);
  }
}

const escapeText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const TABLE_PARTS = new Set(["caption", "colgroup", "col", "thead", "tbody", "tfoot"]);

// The HTML parser drops a newline right after these start tags (it only makes the source readable).
const LEADING_NEWLINE_DROPPED = new Set(["pre", "listing", "textarea"]);

/**
 * Parses HTML into a tree turndown can convert. Comments, doctypes and processing instructions are
 * left out. With `selfClosing`, for XHTML, `<tag/>` has no content.
 */
export function parseHtml(html: string, options: { selfClosing?: boolean } = {}): LiteElement {
  const root = new LiteElement("x-turndown", {});
  let current = root;
  let justOpened: string | null = null;
  let impliedBody: LiteElement | null = null;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        // As the HTML parser does, and the GFM plugin expects of a table it keeps as HTML: rows
        // straight in a table get a body, which another section of the table ends.
        if (current === impliedBody && TABLE_PARTS.has(name)) current = current.parentNode ?? root;
        if (name === "tr" && current.localName === "table") {
          impliedBody = new LiteElement("tbody", {});
          current.append(impliedBody);
          current = impliedBody;
        }
        const element = new LiteElement(name, attributes);
        current.append(element);
        if (!VOID.has(name)) current = element;
        justOpened = name;
      },
      ontext(data) {
        let text = data;
        if (justOpened !== null && LEADING_NEWLINE_DROPPED.has(justOpened) && !current.firstChild) {
          text = text.replace(/^\r?\n/, "");
        }
        justOpened = null;
        if (!text) return;
        const last = current.lastChild;
        // The tokenizer hands text over in pieces (around entities, say): one node, as a DOM has.
        if (last instanceof LiteText) last.data += text;
        else current.append(new LiteText(text));
      },
      onclosetag(name) {
        justOpened = null;
        if (VOID.has(name)) return;
        // Close tags the parser implied or matched: it only reports the ones it found open.
        for (let node: LiteElement | null = current; node && node !== root; node = node.parentNode) {
          if (node.localName === name) {
            current = node.parentNode ?? root;
            return;
          }
        }
      },
    },
    { decodeEntities: true, recognizeSelfClosing: options.selfClosing ?? false },
  );
  parser.end(html);
  return root;
}
