import { defineConfig } from "vitest/config";

// The gateway serves dist/ at / and the APIs under /api/; `npm run dev` proxies /api to a running lab.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  server: { proxy: { "/api": process.env.IDEALAB_GATEWAY ?? "http://127.0.0.1:8080" } },
  build: { target: "es2022", assetsInlineLimit: 0 },
  test: { environment: "happy-dom", include: ["test/**/*.test.ts"] },
});
