// Parses the longer texts off the main thread, where a slow one can be stopped (markdown-limits.ts).
import { parseMarkdown } from "./markdown-tree.js";

self.addEventListener("message", (event: MessageEvent<string>) => {
  self.postMessage(parseMarkdown(event.data));
});
