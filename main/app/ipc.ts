// The IPC door between the renderer and the API: one invoke channel, one event channel. The sender
// is checked here; the method name and input are checked by the API itself (main/api/api.ts).
import { BrowserWindow, ipcMain, webContents, type IpcMainInvokeEvent, type WebContents } from "electron";
import type { Envelope, EventName } from "../../shared/api.js";
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from "../../shared/api-names.js";
import type { Api } from "../api/api.js";
import { toApiError } from "../api/errors.js";
import { isAppUrl, isTrustedSender } from "./urls.js";

/** Only the top-level frame of one of our windows, showing our own page, may call the API. */
function fromOurPage(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  const top = event.sender.mainFrame;
  return (
    BrowserWindow.fromWebContents(event.sender) !== null &&
    isTrustedSender(frame && { url: frame.url, isMainFrame: frame.processId === top.processId && frame.routingId === top.routingId })
  );
}

/** Answers invokes; those that arrive while the services are still starting wait for them. */
export function handleInvokes(api: Promise<Api>): void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, input: unknown): Promise<Envelope<unknown>> => {
    if (!fromOurPage(event)) return { ok: false, error: { code: "FORBIDDEN", message: "This frame may not call Sourcebook." } };
    if (typeof method !== "string") return { ok: false, error: { code: "UNKNOWN_METHOD", message: "The method name must be a string." } };
    try {
      return await (await api).invoke(method, input, event.sender.id);
    } catch (error) {
      // Only the start-up can throw here (invoke itself never does): every call reports it.
      return { ok: false, error: toApiError(error) };
    }
  });
}

/** Delivers an event to one window (clientId, its webContents id) or to every window; never to a page not our own. */
export function sendEvent(event: EventName, payload: unknown, clientId?: number): void {
  const targets = clientId === undefined ? BrowserWindow.getAllWindows().map((window) => window.webContents) : [webContents.fromId(clientId)];
  for (const contents of targets) {
    if (contents && !contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(IPC_EVENT_CHANNEL, event, payload);
  }
}

/**
 * A window that closes, reloads (its new page knows nothing of the old streams) or whose renderer
 * dies stops its answers; nothing would be left to show them.
 */
export function watchClient(contents: WebContents, api: Promise<Api>): void {
  const id = contents.id;
  const gone = () => void api.then((ready) => ready.clientGone(id), () => undefined);
  contents.once("destroyed", gone);
  contents.on("render-process-gone", gone);
  contents.on("did-navigate", gone);
}
