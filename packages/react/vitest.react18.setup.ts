import Module, { createRequire } from "node:module";
import { dirname } from "node:path";

// pnpm resolved the `react-dom18` alias's peer `react` to React 19 (the package's own `react`), and packages that
// Node loads itself (react-dom, @testing-library/react) ignore vite's aliases: point their `react`/`react-dom`
// requests at the 18.x copies so one React 18 instance serves everything.
const require = createRequire(import.meta.url);
const roots: Record<string, string> = {
  react: dirname(require.resolve("react18/package.json")),
  "react-dom": dirname(require.resolve("react-dom18/package.json")),
};
type Resolve = (request: string, ...rest: unknown[]) => string;
const mod = Module as unknown as { _resolveFilename: Resolve & { react18?: true } };
if (!mod._resolveFilename.react18) {
  const original = mod._resolveFilename;
  const patched: Resolve & { react18?: true } = function (this: unknown, request, ...rest) {
    const match = /^(react|react-dom)(\/.*)?$/.exec(request);
    const target = match ? `${roots[match[1] as string]}${match[2] ?? ""}` : request;
    return original.call(this, target, ...rest);
  };
  patched.react18 = true;
  mod._resolveFilename = patched;
}
