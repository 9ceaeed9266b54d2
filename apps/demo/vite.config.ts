import { defineConfig } from "vite";

export default defineConfig({
  // Relative asset paths: dist/ works from any static server path (and `pnpm start` serves it).
  base: "./",
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
  build: { outDir: "dist", emptyOutDir: true },
});
