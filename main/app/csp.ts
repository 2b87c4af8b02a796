// The renderer's Content Security Policy. The app:// handler sends it as a header on every response;
// renderer/index.html repeats it in a meta tag (all but frame-ancestors, which a meta tag cannot
// carry), so the production build served anywhere else is held to the same rules.
// 'unsafe-inline' styles only: React sets style attributes, and no script can run from them.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");
