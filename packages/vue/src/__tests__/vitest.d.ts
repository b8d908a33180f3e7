declare module "vitest" {
  export interface ProvidedContext {
    /** The Vue minor version this vitest project runs: "3.5" or "3.3". */
    vueLine: string;
  }
}

export {};
