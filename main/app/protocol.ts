// app:// serves the renderer build. A custom protocol rather than file://: the page gets a real
// origin of its own, file:// keeps no extra privileges (the grantFileProtocolExtraPrivileges fuse is
// off), and every response carries the CSP header.
import fs from "node:fs/promises";
import { protocol } from "electron";
import { CONTENT_SECURITY_POLICY } from "./csp.js";
import { contentType, resolveRendererFile } from "./renderer-files.js";
import { APP_SCHEME } from "./urls.js";

/** Must run before the app is ready: privileges can only be granted then. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const securityHeaders = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Cross-Origin-Opener-Policy": "same-origin",
};

function notFound(): Response {
  return new Response("Not found", { status: 404, headers: { ...securityHeaders, "Content-Type": "text/plain; charset=utf-8" } });
}

/** Serves files under `rendererDir` (the Vite build) on app://sourcebook/…; anything else is a 404. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") return new Response(null, { status: 405, headers: securityHeaders });
    const file = resolveRendererFile(rendererDir, request.url);
    if (file === null) return notFound();
    try {
      const body = await fs.readFile(file);
      return new Response(request.method === "HEAD" ? null : body, {
        headers: { ...securityHeaders, "Content-Type": contentType(file) },
      });
    } catch {
      return notFound();
    }
  });
}
