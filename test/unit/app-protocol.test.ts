import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../../main/app/csp.js";
import { contentType, resolveRendererFile } from "../../main/app/renderer-files.js";
import { APP_ENTRY_URL, isAppUrl, isTrustedSender, isWebUrl } from "../../main/app/urls.js";
import { ROOT, tempDir, writeFiles } from "../helpers.js";

describe("app:// resolves to the renderer build and nothing else", () => {
  const base = tempDir();
  const root = path.join(base, "dist");
  writeFiles(base, {
    "dist/index.html": "<!doctype html>",
    "dist/assets/index-abc.js": "export {}",
    "dist/assets/fonts/a b.woff2": "font",
    "secret.txt": "outside the build",
    "dist-other/x.js": "a sibling whose name starts like the build's",
  });
  const resolve = (url: string) => resolveRendererFile(root, url);

  it("maps paths under the build, with / as the entry page", () => {
    expect(resolve(APP_ENTRY_URL)).toBe(path.join(root, "index.html"));
    expect(resolve("app://sourcebook/")).toBe(path.join(root, "index.html"));
    expect(resolve("app://sourcebook")).toBe(path.join(root, "index.html"));
    expect(resolve("app://sourcebook/assets/index-abc.js?v=1#x")).toBe(path.join(root, "assets", "index-abc.js"));
    expect(resolve("app://sourcebook/assets/fonts/a%20b.woff2")).toBe(path.join(root, "assets", "fonts", "a b.woff2"));
    for (const url of [APP_ENTRY_URL, "app://sourcebook/assets/index-abc.js", "app://sourcebook/assets/fonts/a%20b.woff2"]) {
      expect(fs.existsSync(resolve(url)!)).toBe(true);
    }
  });

  it("refuses every way out of the build folder", () => {
    const attempts = [
      "app://sourcebook/../secret.txt",
      "app://sourcebook/assets/../../secret.txt",
      "app://sourcebook/%2e%2e/secret.txt",
      "app://sourcebook/%2E%2E%2Fsecret.txt",
      "app://sourcebook/assets%2f..%2f..%2fsecret.txt",
      "app://sourcebook/..%5csecret.txt",
      "app://sourcebook/..\\secret.txt",
      "app://sourcebook/%2e%2e%5c%2e%2e%5csecret.txt",
      "app://sourcebook/../dist-other/x.js",
      "app://sourcebook/C:/Windows/win.ini",
      "app://sourcebook/C%3A%5CWindows%5Cwin.ini",
      "app://sourcebook/index.html%00.js",
      "app://sourcebook/%E0%A4%A",
      `app://sourcebook/${encodeURIComponent(path.join(base, "secret.txt"))}`,
    ];
    for (const url of attempts) {
      const file = resolve(url);
      if (file !== null) expect(file.startsWith(root + path.sep), `${url} → ${file}`).toBe(true);
    }
    // Dot segments, plain or as %2e, are resolved by the URL parser itself: app://sourcebook/../secret.txt
    // is app://sourcebook/secret.txt, a missing file inside the build. What only decoding would turn
    // into separators, drive letters or NUL is refused outright.
    expect(resolve("app://sourcebook/../secret.txt")).toBe(path.join(root, "secret.txt"));
    expect(resolve("app://sourcebook/%2e%2e/secret.txt")).toBe(path.join(root, "secret.txt"));
    for (const url of attempts.filter((attempt) => /%(2f|5c|00|3a)|\\/i.test(attempt))) expect(resolve(url), url).toBeNull();
  });

  it("serves only its own scheme and host", () => {
    expect(resolve("file:///etc/passwd")).toBeNull();
    expect(resolve("https://sourcebook/index.html")).toBeNull();
    expect(resolve("app://elsewhere/index.html")).toBeNull();
    expect(resolve("not a url")).toBeNull();
  });

  it("names the content types the build uses", () => {
    expect(contentType("index.html")).toBe("text/html; charset=utf-8");
    expect(contentType("assets/index-abc.js")).toBe("text/javascript; charset=utf-8");
    expect(contentType("assets/index.CSS")).toBe("text/css; charset=utf-8");
    expect(contentType("logo.svg")).toBe("image/svg+xml");
    expect(contentType("a.woff2")).toBe("font/woff2");
    expect(contentType("unknown.bin")).toBe("application/octet-stream");
  });
});

describe("trusted URLs and senders", () => {
  it("treats only our own origin as the app", () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl("app://sourcebook/assets/x.js")).toBe(true);
    expect(isAppUrl("app://evil/index.html")).toBe(false);
    expect(isAppUrl("file:///index.html")).toBe(false);
    expect(isAppUrl("https://sourcebook/index.html")).toBe(false);
    expect(isAppUrl("")).toBe(false);
  });

  it("hands only http(s) links to the browser", () => {
    expect(isWebUrl("https://example.com/a?b")).toBe(true);
    expect(isWebUrl("http://example.com")).toBe(true);
    for (const url of ["file:///etc/passwd", "javascript:alert(1)", "smb://host/share", "app://sourcebook/", "ms-settings:", "data:text/html,x", "http://", "nonsense"]) {
      expect(isWebUrl(url), url).toBe(false);
    }
  });

  it("answers IPC only from our page's top-level frame", () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, isMainFrame: true })).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY_URL, isMainFrame: false })).toBe(false);
    expect(isTrustedSender({ url: "https://example.com/", isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: "file:///tmp/index.html", isMainFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe("the Content Security Policy", () => {
  const directives = (policy: string) =>
    new Map(policy.split(";").map((part) => part.trim()).filter(Boolean).map((part) => [part.split(/\s+/)[0]!, part] as const));
  const header = directives(CONTENT_SECURITY_POLICY);

  it("allows scripts from the app only, and nothing to be fetched, framed or posted", () => {
    expect(header.get("default-src")).toBe("default-src 'self'");
    expect(header.get("script-src")).toBe("script-src 'self'");
    expect(header.get("connect-src")).toBe("connect-src 'none'");
    expect(header.get("object-src")).toBe("object-src 'none'");
    expect(header.get("base-uri")).toBe("base-uri 'none'");
    expect(header.get("form-action")).toBe("form-action 'none'");
    expect(header.get("frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it("is the one renderer/index.html declares, but for frame-ancestors, which a meta tag cannot carry", () => {
    const html = fs.readFileSync(path.join(ROOT, "renderer", "index.html"), "utf8");
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1];
    expect(meta).toBeDefined();
    const expected = new Map(header);
    expected.delete("frame-ancestors");
    expect(directives(meta!)).toEqual(expected);
  });
});
