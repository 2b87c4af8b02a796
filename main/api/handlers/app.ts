import { isWebUrl } from "../../../shared/web-url.js";
import { ApiFailure } from "../errors.js";
import type { Handlers } from "../context.js";

export const appHandlers = {
  "app.info": (_input, { platform, services }) => ({
    version: platform.appVersion,
    osLanguage: platform.osLanguage,
    platform: platform.platform,
    firstRun: services.library.folders().length === 0,
  }),

  // Model output and notes are untrusted: a link in them may only lead to the web, never to a
  // file: or custom-scheme URL the OS would hand to some other program.
  "app.openExternal": async ({ url }, { platform }) => {
    if (!isWebUrl(url)) throw new ApiFailure("FORBIDDEN", `Only web links open from Sourcebook, not ${new URL(url).protocol} ones.`);
    await platform.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK: http(s) only, checked above
    return null;
  },
} satisfies Partial<Handlers>;
