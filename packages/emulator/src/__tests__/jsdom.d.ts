// The repo has no @types/jsdom; this covers the little the runtime tests use.
declare module "jsdom" {
  export class VirtualConsole {
    on(event: string, listener: (...args: unknown[]) => void): this;
    forwardTo(target: Console, options?: { jsdomErrors?: "none" | string[] }): this;
  }
  export interface ConstructorOptions {
    url?: string;
    runScripts?: "dangerously" | "outside-only";
    resources?: "usable";
    pretendToBeVisual?: boolean;
    virtualConsole?: VirtualConsole;
    beforeParse?: (window: Window & typeof globalThis) => void;
  }
  export class JSDOM {
    constructor(html?: string, options?: ConstructorOptions);
    readonly window: Window & typeof globalThis;
  }
}
