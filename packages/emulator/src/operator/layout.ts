import { CLIENT_SCRIPT } from "./client";
import { type Html, html, raw } from "./html";

export type Section = "overview" | "shortcut" | "audience" | "none";

export interface LayoutInput {
  title: string;
  section: Section;
  instanceId: string;
  version: number;
  /** Per-response CSP nonce for the one inline script. */
  nonce: string;
  content: Html;
}

const CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5d6778; --line: #dde2ea; --accent: #1972f5; --bad: #c62828; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f6f8fb; }
header { display: flex; flex-wrap: wrap; gap: 8px 20px; align-items: center; padding: 10px 24px; background: #fff; border-bottom: 1px solid var(--line); }
header strong { font-size: 16px; }
nav a { margin-right: 14px; color: var(--accent); text-decoration: none; }
nav a[aria-current="page"] { font-weight: 600; text-decoration: underline; }
#live-status { margin-left: auto; font-size: 13px; padding: 2px 10px; border-radius: 10px; background: #eef1f5; color: var(--muted); }
#live-status[data-state="live"] { background: #e3f4e6; color: #1b6b2a; }
#live-status[data-state="down"] { background: #fdecea; color: var(--bad); }
#restart-banner { margin: 0; padding: 10px 24px; background: #fff4d6; border-bottom: 1px solid #f0d48a; }
#restart-banner p { display: inline; margin: 0 12px 0 0; }
main { max-width: 1280px; margin: 0 auto; padding: 8px 24px 40px; }
h1 { font-size: 20px; margin: 18px 0 8px; } h2 { font-size: 17px; margin: 24px 0 8px; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
th { white-space: nowrap; font-size: 13px; color: var(--muted); font-weight: 600; background: #fafbfd; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
.muted, .none { color: var(--muted); }
.chips { display: flex; flex-wrap: wrap; gap: 4px; }
.chip { display: inline-block; padding: 0 6px; border: 1px solid var(--line); border-radius: 6px; background: #f9fafc; font-size: 13px; }
.chip .k { color: var(--muted); }
.t-number, .t-boolean { color: #0b57d0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
dl.data { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; padding: 10px 14px; background: #fff; border: 1px solid var(--line); }
dl.data dt { color: var(--muted); } dl.data dd { margin: 0; overflow-wrap: anywhere; }
form { display: grid; gap: 8px; max-width: 900px; }
textarea, select, input { font: inherit; padding: 6px 8px; border: 1px solid #c4ccd8; border-radius: 6px; }
textarea { min-height: 90px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
button { justify-self: start; font: inherit; padding: 6px 16px; border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
.message { white-space: pre-wrap; padding: 12px 14px; background: #fff; border: 1px solid var(--line); border-left: 4px solid var(--accent); }
.filled { background: #e8f0fe; border-radius: 3px; }
.missing { display: inline-block; min-width: 3em; height: 1.1em; vertical-align: -2px; border: 1px dashed var(--bad); border-radius: 3px; background: #fdecea; }
.errors { color: var(--bad); }
.help { color: var(--muted); font-size: 14px; }
.mono { overflow-wrap: anywhere; }
@media (max-width: 720px) {
  header, #restart-banner { padding: 8px 12px; }
  main { padding: 4px 12px 32px; }
  #live-status { margin-left: 0; }
  /* Each row becomes a card, each cell a labelled line: the page never gets wider than the phone. */
  table, tbody, tr, td { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { padding: 6px 0; border-bottom: 1px solid var(--line); }
  td { border: 0; padding: 2px 12px; overflow-wrap: anywhere; }
  td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: 13px; }
  dl.data { grid-template-columns: minmax(0, max-content) minmax(0, 1fr); }
  form { grid-template-columns: minmax(0, 1fr); }
  textarea, select { width: 100%; max-width: 100%; }
}
`;

const NAV: ReadonlyArray<{ section: Section; href: string; label: string }> = [
  { section: "overview", href: "/", label: "Conversations & contacts" },
  { section: "shortcut", href: "/operator/shortcut", label: "Shortcut preview" },
  { section: "audience", href: "/operator/audience", label: "Campaign audience" },
];

/** The document around every page: navigation, the live status, the restart notice and the live script. */
export function layout(input: LayoutInput): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} · Crisp emulator</title>
<style>${raw(CSS)}</style>
</head>
<body data-instance="${input.instanceId}" data-version="${input.version}">
<header>
<strong>Crisp emulator · operator view</strong>
<nav>${NAV.map(
    (item) =>
      html`<a href="${item.href}"${item.section === input.section ? raw(' aria-current="page"') : ""}>${item.label}</a>`,
  )}<a href="/operator/state.json">state.json</a></nav>
<span id="live-status" role="status" data-state="connecting">Connecting…</span>
</header>
<div id="restart-banner" role="alert" hidden><p data-restart-text></p><a href="/">Back to the overview</a></div>
<main>
${input.content}
</main>
<script nonce="${input.nonce}">${raw(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
}
