/** What the launcher shows: the state end-to-end tests wait on (`data-state`) and the panel's text. */
export interface UiState {
  state: "loading" | "syncing" | "ready" | "error";
  sessionId: string | null;
  open: boolean;
  text: string;
}

export interface Ui {
  render(state: UiState): void;
}

/**
 * The emulator's stand-in for Crisp's chat button: a launcher (`#crisp-emulator-launcher`) and a panel showing the
 * session. Mounted once the body exists; `render` before that is remembered and applied on mount.
 */
export function mountUi(onToggle: () => void): Ui {
  const d = document;
  let launcher: HTMLButtonElement | null = null;
  let panel: HTMLPreElement | null = null;
  let last: UiState | null = null;

  const apply = () => {
    if (!launcher || !panel || !last) return;
    launcher.setAttribute("data-state", last.state);
    launcher.setAttribute("data-session", last.sessionId ?? "");
    launcher.setAttribute("aria-expanded", last.open ? "true" : "false");
    panel.hidden = !last.open;
    panel.textContent = last.text;
  };

  const mount = () => {
    if (!d.body) {
      d.addEventListener("DOMContentLoaded", mount);
      return;
    }
    launcher = d.createElement("button");
    launcher.type = "button";
    launcher.id = "crisp-emulator-launcher";
    launcher.setAttribute("aria-label", "Crisp chat (emulator)");
    launcher.textContent = "Chat \u00b7 emulator";
    // Small and in the corner, like Crisp's bubble: pages keep their bottom-right corner clear of inputs for it.
    launcher.style.cssText =
      "position:fixed;right:16px;bottom:16px;z-index:2147483000;padding:8px 14px;border:0;border-radius:20px;" +
      "background:#1972f5;color:#fff;font:600 13px/1.2 system-ui,sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25);" +
      "cursor:pointer";
    launcher.addEventListener("click", onToggle);
    panel = d.createElement("pre");
    panel.id = "crisp-emulator-panel";
    panel.style.cssText =
      "position:fixed;right:16px;bottom:60px;z-index:2147483000;max-width:min(320px,calc(100vw - 32px));" +
      "max-height:50vh;overflow:auto;margin:0;padding:12px;border-radius:10px;background:#fff;color:#111;" +
      "font:12px/1.4 ui-monospace,monospace;white-space:pre-wrap;box-shadow:0 4px 14px rgba(0,0,0,.25)";
    d.body.appendChild(panel);
    d.body.appendChild(launcher);
    apply();
  };
  mount();

  return {
    render(state) {
      last = state;
      apply();
    },
  };
}
