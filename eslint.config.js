import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

const nodeBuiltins = ["node:*", "fs", "path", "os", "child_process", "worker_threads", "crypto", "url"];

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "renderer/dist/", "bench/results/", "test-results/", ".cache/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // Modules import one way: a cycle means two modules that are really one, or a piece that belongs in a third.
    files: ["**/*.{ts,tsx}"],
    plugins: { "import-x": importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: ["tsconfig.json", "renderer/tsconfig.json"], noWarnOnMultipleProjects: true })],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // Only the Electron shell may import electron: everything else must run under plain Node.
    files: ["main/**/*.ts", "shared/**/*.ts", "test/**/*.ts", "bin/**/*.js"],
    ignores: ["main/app/**"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "electron", message: "Only main/app/ may import electron." }] }],
    },
  },
  {
    // shared/ is pure TypeScript that both processes load.
    files: ["shared/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: ["electron"],
        patterns: [
          { group: nodeBuiltins, message: "shared/ must not use Node APIs." },
          { group: ["**/main/**", "**/renderer/**"], message: "shared/ imports nothing from main/ or renderer/." },
        ],
      }],
    },
  },
  {
    files: ["renderer/**/*.{ts,tsx}"],
    // The build's config runs in Node, not in the window.
    ignores: ["renderer/vite.config.ts"],
    languageOptions: { globals: { window: "readonly", document: "readonly" } },
    rules: {
      "no-restricted-imports": ["error", {
        paths: ["electron"],
        patterns: [
          { group: nodeBuiltins, message: "The renderer is sandboxed: no Node APIs." },
          { group: ["**/main/**"], message: "Share types through shared/, never import main/." },
        ],
      }],
    },
  },
);
