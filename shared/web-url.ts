/**
 * An http(s) URL with a host: the only kind of link Sourcebook hands to a browser, and the only kind of
 * address it sends requests to. Notes, model output and windows are untrusted, so everything else
 * (javascript:, file:, data:, app:, a scheme-relative //host) is refused wherever a URL comes in.
 */
export function isWebUrl(text: string | null | undefined): text is string {
  // The URL parser quietly drops surrounding spaces and any tab or newline inside: what it would
  // accept is then not what was written, and what was written is what gets passed on.
  // eslint-disable-next-line no-control-regex -- the controls are what this refuses
  if (!text || /[\x00-\x20\x7f]/.test(text)) return false;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}
