// onloop console: live updates over server-sent events, and htmx housekeeping.
// Loaded as a file (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";

  // One stream per tab. Each message says "something changed"; regions marked with
  // hx-trigger="onloop:changed from:body" re-fetch themselves through the escaping templates.
  function connectLive() {
    var url = document.body.getAttribute("data-live");
    var state = document.getElementById("live-state");
    if (!url || !window.EventSource) {
      if (state) { state.setAttribute("data-state", "off"); state.textContent = "live off"; }
      return;
    }
    var source = new EventSource(url);
    var dropped = false;
    source.addEventListener("open", function () {
      if (state) { state.setAttribute("data-state", "on"); state.textContent = "live"; }
      if (dropped) {
        // Messages may have been missed while disconnected: refresh what the page shows.
        document.body.dispatchEvent(new CustomEvent("onloop:changed", { detail: { reconnected: true } }));
      }
    });
    source.addEventListener("changed", function (e) {
      var detail = {};
      try { detail = JSON.parse(e.data); } catch (ignored) { /* counts only; nothing to lose */ }
      document.body.dispatchEvent(new CustomEvent("onloop:changed", { detail: detail }));
    });
    source.addEventListener("error", function () {
      dropped = true;
      // The browser reconnects by itself, unless the answer was not a stream (signed out): then it gives up.
      var closed = source.readyState === EventSource.CLOSED;
      if (state) { state.setAttribute("data-state", "off"); state.textContent = closed ? "offline: reload" : "reconnecting"; }
    });
  }

  // A partial request that lands on the sign-in page means the session ended: go there for real.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/console/login") !== -1) {
      e.detail.shouldSwap = false;
      window.location.assign("/console/login");
    }
  });

  // A form that destroys or ends something asks first, naming what (data-confirm); without script it simply submits.
  // Captured, so it decides before htmx or anything else sees the submit.
  document.addEventListener("submit", function (e) {
    var message = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      e.preventDefault();
      e.stopPropagation();
    }
  }, true);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", connectLive);
  } else {
    connectLive();
  }
})();
