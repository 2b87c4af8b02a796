// Which URLs the shell trusts. Pure, so the rules are tested without Electron.

export const APP_SCHEME = "app";
export const APP_HOST = "sourcebook";
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** A page of our own renderer build, served by the app:// handler. */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/** The only URLs handed to the system browser: the renderer shows untrusted notes and model output. */
export { isWebUrl } from "../../shared/web-url.js";

export interface SenderFrame {
  url: string;
  /** The frame is its window's top-level frame, not an iframe inside it. */
  isMainFrame: boolean;
}

/** IPC is answered only for our own page's top-level frame; a frame that is gone (null) is refused. */
export function isTrustedSender(frame: SenderFrame | null): boolean {
  return frame !== null && frame.isMainFrame && isAppUrl(frame.url);
}
