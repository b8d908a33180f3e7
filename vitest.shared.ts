import { defaultClientConditions, defaultServerConditions } from "vite";

/**
 * Resolve workspace packages to their `src` through the `@crisp-data/source` export condition, so tests run
 * against sibling sources without a build. Spread into each package's `defineProject`.
 */
export const sourceConditions = {
  resolve: { conditions: ["@crisp-data/source", ...defaultClientConditions] },
  ssr: { resolve: { conditions: ["@crisp-data/source", ...defaultServerConditions] } },
};
