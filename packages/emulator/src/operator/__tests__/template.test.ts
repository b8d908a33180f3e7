import { describe, expect, it } from "vitest";
import { fillTemplate, missingNames, type TemplateContext, templateText } from "../template";

const context: TemplateContext = {
  email: "ada@example.com",
  nickname: "Ada",
  country: null,
  data: { plan: "pro", plan_price: 79, ratio: 0.5, is_trialing: false, active: true, empty_ish: " " },
};

const text = (template: string, ctx: TemplateContext = context) => templateText(fillTemplate(template, ctx));

describe("fillTemplate", () => {
  it("fills {{ data.key }} from custom data, with or without spaces", () => {
    expect(text("Plan: {{ data.plan }} / {{data.plan}} / {{   data.plan\t}}")).toBe("Plan: pro / pro / pro");
  });

  it("writes numbers in decimal form and booleans as true/false", () => {
    expect(text("{{ data.plan_price }}|{{ data.ratio }}|{{ data.is_trialing }}|{{ data.active }}")).toBe(
      "79|0.5|false|true",
    );
  });

  it("keeps string values exactly, spaces and markup included (escaping is the renderer's job)", () => {
    expect(text("[{{ data.empty_ish }}]")).toBe("[ ]");
    expect(text("{{ data.x }}", { ...context, data: { x: "<b>&</b>" } })).toBe("<b>&</b>");
  });

  it("fills the built-ins email and nickname, and treats a null built-in as missing", () => {
    const parts = fillTemplate("{{ email }} {{ nickname }} {{ country }}", context);
    expect(parts).toEqual([
      { kind: "value", name: "email", text: "ada@example.com" },
      { kind: "text", text: " " },
      { kind: "value", name: "nickname", text: "Ada" },
      { kind: "text", text: " " },
      { kind: "missing", name: "country" },
    ]);
  });

  it("marks missing keys as missing parts and renders them empty, never 'undefined'", () => {
    const parts = fillTemplate("Hi {{ data.first_name }}, plan {{ data.plan }}.", context);
    expect(parts).toEqual([
      { kind: "text", text: "Hi " },
      { kind: "missing", name: "data.first_name" },
      { kind: "text", text: ", plan " },
      { kind: "value", name: "data.plan", text: "pro" },
      { kind: "text", text: "." },
    ]);
    expect(templateText(parts)).toBe("Hi , plan pro.");
    expect(templateText(parts)).not.toContain("undefined");
  });

  it("does not read inherited properties as data", () => {
    expect(fillTemplate("{{ data.constructor }}{{ data.__proto__ }}{{ data.toString }}", context)).toEqual([
      { kind: "missing", name: "data.constructor" },
      { kind: "missing", name: "data.__proto__" },
      { kind: "missing", name: "data.toString" },
    ]);
  });

  it("reads an own __proto__ key as data", () => {
    const data = Object.fromEntries([["__proto__", "kept"]]);
    expect(text("{{ data.__proto__ }}", { ...context, data })).toBe("kept");
  });

  it("treats unknown names and an empty data key as missing", () => {
    expect(missingNames(fillTemplate("{{ phone }} {{ data. }} {{ plan }}", context))).toEqual([
      "phone",
      "data.",
      "plan",
    ]);
  });

  it("leaves malformed placeholders as literal text", () => {
    for (const literal of ["{{}}", "{{ }}", "{{ a b }}", "{{ data.plan", "data.plan }}", "{ data.plan }"]) {
      expect(fillTemplate(literal, context)).toEqual([{ kind: "text", text: literal }]);
    }
  });

  it("handles a template with no placeholder, only placeholders, and the empty template", () => {
    expect(fillTemplate("Hello", context)).toEqual([{ kind: "text", text: "Hello" }]);
    expect(text("{{ data.plan }}{{ data.plan_price }}")).toBe("pro79");
    expect(fillTemplate("", context)).toEqual([]);
  });

  it("lists each missing name once, in first-use order", () => {
    expect(missingNames(fillTemplate("{{ data.b }} {{ data.a }} {{ data.b }} {{ data.plan }}", context))).toEqual([
      "data.b",
      "data.a",
    ]);
  });

  it("is case-sensitive on keys (Crisp keys are lowercase)", () => {
    expect(missingNames(fillTemplate("{{ data.Plan }} {{ Email }}", context))).toEqual(["data.Plan", "Email"]);
  });
});
