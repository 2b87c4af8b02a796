#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm install` (the prepare script) or `npm run build:main`.
import("../dist/main/cli.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/main/cli.js")) {
    process.stderr.write("sourcebook: not built yet: run `npm run build:main` in the Sourcebook folder.\n");
  } else {
    process.stderr.write(`sourcebook: ${error?.stack ?? error}\n`);
  }
  process.exitCode = 1;
});
