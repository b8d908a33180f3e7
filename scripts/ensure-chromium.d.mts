/** Types for `ensure-chromium.mjs`, for TypeScript projects that import it without `allowJs`. */
export declare const DEFAULT_CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: readonly string[];
export declare function chromiumLaunchOptions(executablePath: string): {
  executablePath: string;
  headless: true;
  args: string[];
};
export declare function findChromium(env?: NodeJS.ProcessEnv): string | null;
export declare function ensureChromium(options?: { env?: NodeJS.ProcessEnv; log?: (line: string) => void }): string;
