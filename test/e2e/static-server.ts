import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/** The policy the app:// protocol sends with every response (main/app/ sets the same). */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

export interface StaticServer {
  /** The app's address, ending in /index.html. */
  url: string;
  close(): Promise<void>;
}

/** Serves a renderer build on loopback as the app's protocol does: its files only, with the app's CSP. */
export async function serveRenderer(root: string): Promise<StaticServer> {
  if (!fs.existsSync(path.join(root, "index.html"))) throw new Error(`No renderer build at ${root}: run npm run build:renderer first.`);
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    // Chromium asks every http origin for a favicon; an Electron window never does.
    if (pathname === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    const file = path.resolve(root, "." + (pathname === "/" ? "/index.html" : pathname));
    const inside = file.startsWith(root + path.sep);
    if (req.method !== "GET" || !inside || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { "content-security-policy": CSP }).end();
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "content-security-policy": CSP,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
