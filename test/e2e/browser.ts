import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium where it is installed (CI installs it); Playwright's own browser elsewhere. */
function chromiumPath(): string | undefined {
  return fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  // launch() gives every browser a fresh temporary profile of its own.
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", ...extraArgs],
  });
}
