// Maps app:// URLs to files of the renderer build. Pure path logic, so traversal is tested without
// Electron: nothing outside the build folder can ever be named.
import path from "node:path";
import { APP_HOST, APP_SCHEME } from "./urls.js";
import { isInside } from "../path-inside.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

/**
 * The file under `root` that an app:// URL names, or null when the URL is not ours or would leave
 * `root` (`..`, encoded separators, drive letters, NUL). "/" is the entry page.
 */
export function resolveRendererFile(root: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;

  // Split before decoding, then refuse any segment that decoding turns into a separator, a dot
  // segment, a drive letter or NUL (%2f, %5c, %2e%2e, %3a, %00): such a path is never re-normalised.
  let segments: string[];
  try {
    segments = parsed.pathname.split("/").filter((segment) => segment !== "").map(decodeURIComponent);
  } catch {
    return null;
  }
  if (segments.some((segment) => segment === "." || segment === ".." || /[/\\\0:]/.test(segment))) return null;
  if (segments.length === 0) segments.push("index.html");

  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  return isInside(file, base) ? file : null;
}
