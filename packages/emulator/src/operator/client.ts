/**
 * The page's only script: live updates without a reload. Plain ES2015 so any browser runs it as served.
 *
 * How it stays safe: it never builds markup from values. On a change it fetches the same URL again (the server
 * escapes every value) and swaps each `[data-live]` region for the new one; the status and the restart notice
 * are written with textContent. Server-sent events tell it when to refresh (`hello` carries the emulator's
 * instanceId and state version, `change` follows each state change); without EventSource, or when the stream
 * is refused for good, it polls `/operator/state.json`.
 *
 * Kept free of backslashes, dollar-braces and a closing script tag, so the template literal and the inline
 * <script> element carry it unchanged.
 */
export const CLIENT_SCRIPT = `(function () {
  "use strict";
  var body = document.body;
  var instance = body.getAttribute("data-instance");
  var status = document.getElementById("live-status");
  var banner = document.getElementById("restart-banner");
  var inflight = false;
  var again = false;
  var pollTimer = null;

  function setStatus(state, text) {
    status.setAttribute("data-state", state);
    status.textContent = text;
  }

  function seeInstance(id) {
    if (!id || id === instance) return false;
    instance = id;
    body.setAttribute("data-instance", id);
    banner.hidden = false;
    banner.querySelector("[data-restart-text]").textContent = "The emulator restarted at " +
      new Date().toLocaleTimeString() + ": its state was reset, so earlier conversations and contacts are gone.";
    return true;
  }

  function refresh() {
    if (inflight) { again = true; return; }
    inflight = true;
    fetch(location.href, { cache: "no-store", headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, "text/html");
        var regions = document.querySelectorAll("[data-live]");
        for (var i = 0; i < regions.length; i++) {
          var name = regions[i].getAttribute("data-live");
          var fresh = next.querySelector('[data-live="' + name + '"]');
          if (fresh) regions[i].replaceWith(document.adoptNode(fresh));
        }
        seeInstance(next.body.getAttribute("data-instance"));
        body.setAttribute("data-version", next.body.getAttribute("data-version") || "");
        body.setAttribute("data-refreshed", String(Date.now()));
      })
      .catch(function () { setStatus("down", "Emulator unreachable"); })
      .then(function () {
        inflight = false;
        if (again) { again = false; refresh(); }
      });
  }

  function onInfo(info) {
    var restarted = seeInstance(info.instanceId);
    if (restarted || String(info.version) !== body.getAttribute("data-version")) refresh();
  }

  function poll() {
    fetch("/operator/state.json", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (info) { setStatus("live", "Live (polling)"); onInfo(info); })
      .catch(function () { setStatus("down", "Emulator unreachable, retrying"); });
  }

  function startPolling() {
    if (pollTimer) return;
    poll();
    pollTimer = setInterval(poll, 2000);
  }

  // A live <select> is re-rendered from the URL: submit a choice at once so the URL always holds it.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.hasAttribute && target.hasAttribute("data-autosubmit") && target.form) target.form.submit();
  });

  if (typeof EventSource !== "function") return startPolling();
  var source = new EventSource("/operator/events");
  source.addEventListener("hello", function (event) {
    setStatus("live", "Live");
    onInfo(JSON.parse(event.data));
  });
  source.addEventListener("change", function () { refresh(); });
  source.onerror = function () {
    // CONNECTING means the browser retries by itself (the emulator went away); CLOSED means it gave up.
    setStatus("down", "Emulator unreachable, retrying");
    if (source.readyState === 2) startPolling();
  };
})();
`;
