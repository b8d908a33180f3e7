import type { NextConfig } from "next";

const config: NextConfig = {
  // The shared demo code is TypeScript source, not a built package.
  transpilePackages: ["@crisp-data/demo-shared"],
  // `pnpm typecheck` checks the app; the build does not do it a second time.
  typescript: { ignoreBuildErrors: true },
};

export default config;
