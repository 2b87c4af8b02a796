import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Relative asset URLs: the shell serves this build from its own protocol, not from a web root.
export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, target: "chrome140" },
});
