// `npm start`'s first step: says in one message what is missing before anything is built. Plain
// JavaScript with no dependencies, so that it runs on any Node, before `npm install` too.
//
// Electron's installer (@electron/get), which downloads Electron the first time the app starts, needs
// the Node that Electron's package.json names; once Electron is there, the Node the rest needs will do.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const FALLBACK_NODE = "22.12.0";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const electron = path.join(root, "node_modules", "electron");

function fail(message) {
  console.error(`Sourcebook: ${message}`);
  process.exit(1);
}

/** "22.12.0" from an engines range such as ">= 22.12.0"; undefined for ranges of another shape. */
function minimumOf(range) {
  const match = /^\s*>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range ?? "");
  return match ? [match[1], match[2] ?? "0", match[3] ?? "0"].join(".") : undefined;
}

function atLeast(version, minimum) {
  const [a, b] = [version, minimum].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

/** Whether Electron's binary has been downloaded already (node_modules/electron/index.js's own test). */
function electronDownloaded() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return true;
  try {
    const executable = fs.readFileSync(path.join(electron, "path.txt"), "utf8");
    return fs.existsSync(path.join(electron, "dist", executable));
  } catch {
    return false;
  }
}

let manifest;
try {
  manifest = JSON.parse(fs.readFileSync(path.join(electron, "package.json"), "utf8"));
} catch {
  fail("the dependencies are not installed: run `npm install` first, then `npm start` again.");
}
const needed = minimumOf(manifest.engines?.node) ?? FALLBACK_NODE;
const node = process.versions.node;
if (!atLeast(node, needed) && !electronDownloaded()) {
  fail(
    `\`npm start\` needs Node.js ${needed} or newer, and this is Node.js ${node}. The first start downloads ` +
      `Electron ${manifest.version}, and Electron's installer does not run on older versions of Node. ` +
      `Install Node.js ${needed} or newer, then run \`npm start\` again.`,
  );
}
