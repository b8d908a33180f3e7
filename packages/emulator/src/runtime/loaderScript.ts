import { KEY_PATTERN, MAX_VALUE_LENGTH } from "@crisp-data/core";

/**
 * The browser runtime served at `/l.js`: plain ES2015 JavaScript with no dependency, so it runs unchanged in
 * browsers and in jsdom (which has XMLHttpRequest but no fetch). Key and value rules come from
 * `@crisp-data/core` at serve time, so the page and the server agree on what is valid.
 *
 * Written with String.raw so regex backslashes survive; it must not contain a backtick or a dollar-brace.
 */
const SOURCE = String.raw`(function () {
  "use strict";
  var w = window;
  var d = document;
  var PREFIX = "[crisp-emulator]";
  if (w.$crisp && w.$crisp.__emulator) return;

  var KEY = new RegExp(__KEY_PATTERN__);
  var MAX_VALUE_LENGTH = __MAX_VALUE_LENGTH__;
  var origin = __FALLBACK_ORIGIN__;
  try {
    // The page may load us from any port: talk to the server the script came from.
    var current = d.currentScript;
    if (current && current.src) origin = new URL(current.src, d.baseURI).origin;
  } catch (error) {}

  var websiteId = w.CRISP_WEBSITE_ID;
  if (typeof websiteId !== "string" || !websiteId) {
    console.error(PREFIX + " window.CRISP_WEBSITE_ID is not set, so the chat box does not start.");
    return;
  }

  // Crisp keeps the session per website in the browser; a reload resumes it.
  var storageKey = "crisp-client/session/" + websiteId;
  function readStored() {
    try { return w.localStorage.getItem(storageKey); } catch (error) { return null; }
  }
  function writeStored(id) {
    try {
      if (id) w.localStorage.setItem(storageKey, id);
      else w.localStorage.removeItem(storageKey);
    } catch (error) {}
  }

  var sessionId = null;
  var serverData = {};
  var identity = { email: null, nickname: null, phone: null };
  var handlers = Object.create(null);
  var ops = [];
  var running = false;
  var failed = false;
  var panelOpen = false;
  var launcher = null;
  var panel = null;

  function country() {
    var forced = w.CRISP_EMULATOR_COUNTRY;
    if (typeof forced === "string" && forced) return forced.toUpperCase();
    var language = (w.navigator && w.navigator.language) || "";
    var parts = language.split(/[-_]/);
    for (var i = 1; i < parts.length; i++) if (/^[A-Za-z]{2}$/.test(parts[i])) return parts[i].toUpperCase();
    return null;
  }

  function copy(object) {
    var out = {};
    for (var key in object) if (Object.prototype.hasOwnProperty.call(object, key)) out[key] = object[key];
    return out;
  }

  function fire(event, value) {
    var handler = handlers[event];
    if (typeof handler !== "function") return;
    try { handler(value); } catch (error) { console.error(PREFIX + " a " + event + " handler threw", error); }
  }

  function post(path, body, done) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", origin + path, true);
    // text/plain keeps the request "simple": no CORS preflight.
    xhr.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
    xhr.timeout = 10000;
    xhr.onload = function () {
      var parsed = null;
      try { parsed = JSON.parse(xhr.responseText); } catch (error) {}
      done(xhr.status, parsed);
    };
    xhr.onerror = function () { done(0, null); };
    xhr.ontimeout = function () { done(0, null); };
    xhr.send(JSON.stringify(body));
  }

  function adopt(view) {
    sessionId = view.sessionId;
    serverData = view.data || {};
    identity = { email: view.email, nickname: view.nickname, phone: view.phone };
  }

  function run(op, attempt, finish) {
    var path;
    var body;
    if (op.kind === "boot") {
      path = "/runtime/sessions";
      body = { websiteId: websiteId, tokenId: op.tokenId, sessionId: op.fresh ? null : readStored(), country: country() };
    } else {
      if (!sessionId || failed) return finish();
      path = "/runtime/sessions/" + encodeURIComponent(sessionId) + "/commands";
      body = op.body;
    }
    post(path, body, function (status, answer) {
      if (op.kind !== "boot" && status === 404 && !op.rebooted) {
        // The emulator restarted and forgot the session: start one (the token, if any, still applies) and go on.
        op.rebooted = true;
        console.warn(PREFIX + " the emulator no longer knows this session (restarted?): starting a new one");
        run({ kind: "boot", fresh: false, tokenId: w.CRISP_TOKEN_ID || null }, 0, function () { run(op, 0, finish); });
        return;
      }
      if ((status === 0 || status >= 500) && attempt < 5) {
        // The emulator may be restarting or busy: keep the command, try again shortly.
        setTimeout(function () { run(op, attempt + 1, finish); }, 100 * Math.pow(2, attempt));
        return;
      }
      if (status !== 200 || !answer) {
        console.error(PREFIX + " " + (op.kind === "boot" ? "could not start a session" : "a command was refused") +
          " (HTTP " + status + "): " + ((answer && answer.message) || "no answer from " + origin));
        if (op.kind === "boot") failed = true;
        return finish();
      }
      adopt(answer);
      if (op.kind === "boot") {
        failed = false;
        writeStored(sessionId);
        finish();
        fire("session:loaded", sessionId);
        return;
      }
      finish();
    });
  }

  function pump() {
    if (running || !ops.length) return;
    running = true;
    run(ops[0], 0, function () {
      ops.shift();
      running = false;
      render();
      pump();
    });
  }

  function enqueue(op) {
    ops.push(op);
    render();
    pump();
  }

  // What the page sees now: the server's answer with every command still on its way applied on top.
  function view() {
    var data = copy(serverData);
    var user = copy(identity);
    for (var i = 0; i < ops.length; i++) {
      var op = ops[i];
      if (op.kind === "boot" && op.fresh) {
        data = {};
        user = { email: null, nickname: null, phone: null };
      } else if (op.kind === "data") {
        for (var j = 0; j < op.body.pairs.length; j++) {
          var pair = op.body.pairs[j];
          if (pair[1] === "") delete data[pair[0]];
          else data[pair[0]] = pair[1];
        }
      } else if (op.kind === "identity") {
        user[op.body.op] = op.body.value;
      }
    }
    return { data: data, user: user };
  }

  function validValue(value) {
    if (typeof value === "string") return value.length <= MAX_VALUE_LENGTH;
    if (typeof value === "number") return isFinite(value);
    return typeof value === "boolean";
  }

  function setData(args) {
    var pairs = null;
    if (Array.isArray(args) && typeof args[0] === "string") pairs = [[args[0], args[1]]];
    else if (Array.isArray(args) && Array.isArray(args[0])) pairs = args[0];
    if (!pairs) {
      console.warn(PREFIX + " ignored set session:data: expected [[[key, value], ...]] or [key, value], got", args);
      return;
    }
    var valid = [];
    var invalid = [];
    for (var i = 0; i < pairs.length; i++) {
      var pair = pairs[i];
      if (Array.isArray(pair) && typeof pair[0] === "string" && KEY.test(pair[0]) && validValue(pair[1])) {
        valid.push([pair[0], pair[1]]);
      } else {
        invalid.push(Array.isArray(pair) ? JSON.stringify(String(pair[0])) : JSON.stringify(pair));
      }
    }
    if (invalid.length) {
      console.warn(PREFIX + " ignored invalid session:data pair(s) " + invalid.join(", ") +
        ": keys are 1-50 characters of a-z, 0-9, _ and -; values are strings (at most " + MAX_VALUE_LENGTH +
        " characters), finite numbers or booleans (\"\" deletes).");
    }
    if (valid.length) enqueue({ kind: "data", body: { op: "data", pairs: valid } });
  }

  function setUser(field, args) {
    var value = Array.isArray(args) ? args[0] : undefined;
    var ok = typeof value === "string" && value !== "" &&
      (field !== "email" || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value));
    if (!ok) {
      console.warn(PREFIX + " ignored set user:" + field + ": invalid value", value);
      return;
    }
    var body = { op: field, value: field === "email" ? value.trim().toLowerCase() : value };
    if (field === "email" && typeof args[1] === "string") body.signature = args[1];
    enqueue({ kind: "identity", body: body });
  }

  function reset() {
    // The old id stays in use for commands queued before the reset; the page stops seeing it at once.
    writeStored(null);
    // Crisp reads the token when a session starts: the one set before this reset is the one that counts.
    enqueue({ kind: "boot", fresh: true, tokenId: w.CRISP_TOKEN_ID || null });
  }

  function handle(command) {
    if (!Array.isArray(command)) {
      console.warn(PREFIX + " ignored a command that is not an array:", command);
      return;
    }
    var action = command[0];
    var method = command[1];
    var args = command[2];
    if (action === "set") {
      if (method === "session:data") setData(args);
      else if (method === "user:email") setUser("email", args);
      else if (method === "user:nickname") setUser("nickname", args);
      else if (method === "user:phone") setUser("phone", args);
      // Other setters (events, segments, avatar) are accepted and not emulated.
    } else if (action === "do") {
      if (method === "session:reset") reset();
      else if (method === "chat:open" || method === "chat:show") setPanel(true);
      else if (method === "chat:close" || method === "chat:hide") setPanel(false);
      else if (method === "chat:toggle") setPanel(!panelOpen);
    } else if (action === "on") {
      if (typeof args === "function") handlers[method] = args;
      else console.warn(PREFIX + " ignored on " + method + ": expected a function");
    } else if (action === "off") {
      delete handlers[method];
    } else if (action !== "safe" && action !== "config") {
      console.warn(PREFIX + " ignored an unknown command", command);
    }
  }

  function get(method, key) {
    if (method === "session:identifier") {
      for (var i = 0; i < ops.length; i++) if (ops[i].kind === "boot") return null;
      return sessionId;
    }
    var current = view();
    if (method === "session:data") return key == null ? current.data : current.data[key];
    if (method === "user:email") return current.user.email;
    if (method === "user:nickname") return current.user.nickname;
    if (method === "user:phone") return current.user.phone;
    if (method === "chat:unread:count") return 0;
    console.warn(PREFIX + " get " + method + " is not emulated");
    return undefined;
  }

  function is(method) {
    if (method === "chat:opened") return panelOpen;
    if (method === "chat:closed") return !panelOpen;
    if (method === "chat:visible" || method === "website:available") return true;
    return false;
  }

  function setPanel(open) {
    panelOpen = open;
    render();
  }

  function render() {
    if (!launcher || !panel) return;
    var shown = get("session:identifier");
    var state = failed ? "error" : !shown ? "loading" : ops.length ? "syncing" : "ready";
    launcher.setAttribute("data-state", state);
    launcher.setAttribute("data-session", shown || "");
    launcher.setAttribute("aria-expanded", panelOpen ? "true" : "false");
    panel.hidden = !panelOpen;
    var current = view();
    panel.textContent = "Crisp emulator\nwebsite: " + websiteId + "\nsession: " + (shown || "(starting)") +
      "\nemail: " + (current.user.email || "-") + "\ndata: " + JSON.stringify(current.data, null, 1);
  }

  function mount() {
    if (!d.body) {
      d.addEventListener("DOMContentLoaded", mount);
      return;
    }
    launcher = d.createElement("button");
    launcher.type = "button";
    launcher.id = "crisp-emulator-launcher";
    launcher.setAttribute("aria-label", "Crisp chat (emulator)");
    launcher.textContent = "Chat \u00b7 emulator";
    launcher.style.cssText = "position:fixed;right:20px;bottom:20px;z-index:2147483000;padding:10px 16px;" +
      "border:0;border-radius:22px;background:#1972f5;color:#fff;font:600 14px/1.2 system-ui,sans-serif;" +
      "box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer";
    launcher.addEventListener("click", function () { setPanel(!panelOpen); });
    panel = d.createElement("pre");
    panel.id = "crisp-emulator-panel";
    panel.style.cssText = "position:fixed;right:20px;bottom:70px;z-index:2147483000;max-width:320px;max-height:50vh;" +
      "overflow:auto;margin:0;padding:12px;border-radius:10px;background:#fff;color:#111;" +
      "font:12px/1.4 ui-monospace,monospace;white-space:pre-wrap;box-shadow:0 4px 14px rgba(0,0,0,.25)";
    d.body.appendChild(panel);
    d.body.appendChild(launcher);
    render();
  }

  var queued = Array.isArray(w.$crisp) ? w.$crisp.slice() : [];
  w.$crisp = {
    __emulator: true,
    push: function () {
      for (var i = 0; i < arguments.length; i++) handle(arguments[i]);
      return ops.length;
    },
    get: get,
    is: is,
  };
  enqueue({ kind: "boot", fresh: false, tokenId: w.CRISP_TOKEN_ID || null });
  for (var i = 0; i < queued.length; i++) handle(queued[i]);
  mount();
})();
`;

/** The loader for a server reached at `fallbackOrigin` (used when the page hides `document.currentScript`). */
export function loaderScript(fallbackOrigin: string): string {
  return SOURCE.replace("__KEY_PATTERN__", JSON.stringify(KEY_PATTERN.source))
    .replace("__MAX_VALUE_LENGTH__", String(MAX_VALUE_LENGTH))
    .replace("__FALLBACK_ORIGIN__", JSON.stringify(fallbackOrigin));
}
