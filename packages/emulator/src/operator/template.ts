import type { CrispDataValue } from "@crisp-data/core";

/**
 * Shortcut templates, as Crisp operators write them: text with `{{ data.key }}` placeholders filled from the
 * conversation's custom data, plus the built-in `{{ email }}`, `{{ nickname }}` and `{{ country }}`.
 *
 * Semantics (pure, no HTML here: the renderer escapes each part):
 * - A placeholder is `{{`, optional spaces, a name, optional spaces, `}}`. Names are `data.<key>` or a built-in.
 * - Strings are inserted as they are, numbers in their shortest decimal form (`String(50)` → `50`, `0.5`),
 *   booleans as `true`/`false`.
 * - A key that is not set, a built-in that is `null`, or an unknown name gives a `missing` part: it renders as
 *   a visibly empty marker and as `""` in the plain message. Never the text `undefined`.
 * - Anything that is not a well-formed placeholder (`{{}}`, `{{ a b }}`, a lone `{{`) stays literal text, so a
 *   typo is visible rather than silently dropped.
 */

/** What a template can read from a conversation. */
export interface TemplateContext {
  email: string | null;
  nickname: string | null;
  country: string | null;
  data: Readonly<Record<string, CrispDataValue>>;
}

export type TemplatePart =
  | { kind: "text"; text: string }
  | { kind: "value"; name: string; text: string }
  | { kind: "missing"; name: string };

export const BUILT_IN_PLACEHOLDERS = ["email", "nickname", "country"] as const;

const PLACEHOLDER = /\{\{[ \t]*([^\s{}]+)[ \t]*\}\}/g;

/** Splits a template into literal text, filled values and missing placeholders, in order. */
export function fillTemplate(template: string, context: TemplateContext): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const start = match.index;
    if (start > last) parts.push({ kind: "text", text: template.slice(last, start) });
    const name = match[1] ?? "";
    const value = lookup(name, context);
    parts.push(value === undefined ? { kind: "missing", name } : { kind: "value", name, text: value });
    last = start + match[0].length;
  }
  if (last < template.length) parts.push({ kind: "text", text: template.slice(last) });
  return parts;
}

/** The message as the visitor would receive it: missing placeholders become empty. */
export function templateText(parts: readonly TemplatePart[]): string {
  return parts.map((part) => (part.kind === "missing" ? "" : part.text)).join("");
}

/** The distinct names the template needs but the conversation lacks, in first-use order. */
export function missingNames(parts: readonly TemplatePart[]): string[] {
  const names = parts.flatMap((part) => (part.kind === "missing" ? [part.name] : []));
  return [...new Set(names)];
}

export function formatValue(value: CrispDataValue): string {
  return typeof value === "string" ? value : String(value);
}

function lookup(name: string, context: TemplateContext): string | undefined {
  if (name.startsWith("data.")) {
    const key = name.slice("data.".length);
    // hasOwn: a key such as `constructor` must not read the prototype.
    if (!key || !Object.hasOwn(context.data, key)) return undefined;
    const value = context.data[key];
    return value === undefined ? undefined : formatValue(value);
  }
  if (name === "email" || name === "nickname" || name === "country") return context[name] ?? undefined;
  return undefined;
}
