// Parses the longer texts off the main thread, where a slow one can be stopped (markdown-limits.ts).
import { parseMarkdown, type Dialect } from "./markdown-tree.js";

self.addEventListener("message", (event: MessageEvent<{ text: string; dialect: Dialect }>) => {
  self.postMessage(parseMarkdown(event.data.text, event.data.dialect));
});
