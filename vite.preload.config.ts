import { builtinModules } from "node:module";
import { defineConfig } from "vite";

// The sandboxed preload cannot import modules: main/app/preload.ts and what it imports are bundled
// into one CommonJS file next to the compiled main process, with electron left to the runtime.
export default defineConfig({
  root: import.meta.dirname,
  logLevel: "warn",
  build: {
    outDir: "dist/main/app",
    emptyOutDir: false,
    minify: false,
    sourcemap: false,
    target: "node22",
    lib: { entry: "main/app/preload.ts", formats: ["cjs"], fileName: () => "preload.cjs" },
    rollupOptions: { external: ["electron", ...builtinModules, ...builtinModules.map((name) => `node:${name}`)] },
  },
});
