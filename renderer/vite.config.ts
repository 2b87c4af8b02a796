import { createRequire } from "node:module";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

/**
 * micromark decodes entities such as &amp; with decode-named-character-reference, whose browser
 * build asks the DOM: a worker has none, so the Markdown worker takes its plain build.
 */
function noDomInWorkers(): Plugin {
  const plainBuild = createRequire(import.meta.url).resolve("decode-named-character-reference");
  return {
    name: "sourcebook:no-dom-in-workers",
    enforce: "pre",
    resolveId: (id) => (id === "decode-named-character-reference" ? plainBuild : null),
  };
}

// Relative asset URLs: the shell serves this build from its own protocol, not from a web root.
export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  plugins: [react()],
  worker: { plugins: () => [noDomInWorkers()] },
  build: { outDir: "dist", emptyOutDir: true, target: "chrome140" },
});
