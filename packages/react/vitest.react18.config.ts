import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

const at = (name: string) => fileURLToPath(new URL(`./node_modules/${name}`, import.meta.url));

/**
 * The same suite on React 18: `react`/`react-dom` (and their subpaths) resolve to the `react18`/`react-dom18`
 * aliases for code vite transforms; `vitest.react18.setup.ts` does the same for packages Node loads itself.
 */
export default defineProject({
  ...sourceConditions,
  root: fileURLToPath(new URL(".", import.meta.url)),
  resolve: {
    ...sourceConditions.resolve,
    alias: [
      { find: /^react$/, replacement: at("react18") },
      { find: /^react\/(.*)$/, replacement: `${at("react18")}/$1` },
      { find: /^react-dom$/, replacement: at("react-dom18") },
      { find: /^react-dom\/(.*)$/, replacement: `${at("react-dom18")}/$1` },
    ],
  },
  test: {
    name: "react18",
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["./vitest.react18.setup.ts", "./vitest.setup.ts"],
    environmentOptions: { happyDOM: { settings: { handleDisabledFileLoadingAsSuccess: true } } },
    env: { CRISP_DATA_REACT: "18" },
  },
});
