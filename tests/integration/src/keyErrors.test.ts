import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Calls with the key `Bad Key`, each compiled as if it were a file of the package whose API it uses (so the
 * package's own dependencies resolve); none of these files exists on disk.
 */
const CASES: Record<string, { dir: string; code: string }> = {
  "core set": {
    dir: "packages/core/src",
    code: 'import { createCrispData } from "@crisp-data/core";\ncreateCrispData().set({ plan: "pro", "Bad Key": 1 });',
  },
  "core source().set": {
    dir: "packages/core/src",
    code: 'import { createCrispData } from "@crisp-data/core";\ncreateCrispData().source().set({ "Bad Key": 1 });',
  },
  "server setContactData": {
    dir: "packages/core/src",
    code: 'import { createCrispRestClient } from "@crisp-data/core/server";\ncreateCrispRestClient({ identifier: "i", key: "k" }).setContactData("w", "p", { "Bad Key": 1 });',
  },
  "react useCrispData": {
    dir: "packages/react/src",
    code: 'import { useCrispData } from "@crisp-data/react";\nexport const use = () => useCrispData({ "Bad Key": 1 });',
  },
  "vue useCrispData, literal": {
    dir: "packages/vue/src",
    code: 'import { useCrispData } from "@crisp-data/vue";\nuseCrispData({ "Bad Key": 1 });',
  },
  "vue useCrispData, getter": {
    dir: "packages/vue/src",
    code: 'import { useCrispData } from "@crisp-data/vue";\nuseCrispData(() => ({ "Bad Key": 1 }));',
  },
  "vue useCrispData, ref": {
    dir: "packages/vue/src",
    code: 'import { ref } from "vue";\nimport { useCrispData } from "@crisp-data/vue";\nuseCrispData(ref({ "Bad Key": 1 }));',
  },
  "vue useCrispData, computed": {
    dir: "packages/vue/src",
    code: 'import { computed } from "vue";\nimport { useCrispData } from "@crisp-data/vue";\nuseCrispData(computed(() => ({ "Bad Key": 1 })));',
  },
};

const files = new Map(
  Object.entries(CASES).map(([name, { dir, code }], index) => [
    join(root, dir, `__keyErrors${index}.ts`),
    { name, code },
  ]),
);

function compile(): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ["@crisp-data/source"],
    jsx: ts.JsxEmit.ReactJSX,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => files.has(file) || fileExists.call(host, file);
  host.readFile = (file) => files.get(file)?.code ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const virtual = files.get(file);
    return virtual
      ? ts.createSourceFile(file, virtual.code, language)
      : getSourceFile.call(host, file, language, ...rest);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const messages = new Map<string, string[]>();
  for (const [file, { name }] of files) {
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(file));
    messages.set(
      name,
      diagnostics.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")),
    );
  }
  return messages;
}

it("an invalid literal key is a compile error that names the key, in every API that takes data", () => {
  // The virtual files must not shadow real ones.
  for (const file of files.keys()) expect(() => readFileSync(file)).toThrow();
  const messages = compile();
  for (const name of Object.keys(CASES)) {
    const errors = messages.get(name) ?? [];
    expect(errors, name).toHaveLength(1);
    expect(errors[0], name).toContain("'Bad Key' is not a valid Crisp key");
    expect(errors[0], name).not.toContain("'never'");
  }
  expect(dirname(files.keys().next().value ?? "")).toBe(join(root, "packages/core/src"));
}, 60_000);
