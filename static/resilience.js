/* When the server is away (a restart, an update): never Chromium's error page, a Chinese notice instead.
   The kiosk screen shows 正在重新连接…… full screen, asks the server every 2 s and, once it answers, goes
   to the attract loop by itself. A phone shows a small notice and keeps its page. */
(function () {
  "use strict";
  var body = document.body;
  var onScreen = body.dataset.kioskScreen === "true";
  var HEALTH = "/health";
  var POLL_MS = 2000;
  var waiting = false;
  var hideTimer = null;

  /* Resolve true when the server answers the health URL within timeoutMs. */
  function serverAnswers(timeoutMs) {
    var abort = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (abort) abort.abort(); }, timeoutMs);
    return fetch(HEALTH + "?t=" + Date.now(), {
      cache: "no-store", credentials: "same-origin", signal: abort ? abort.signal : undefined
    }).then(function (r) { return r.ok; }, function () { return false; })
      .then(function (ok) { clearTimeout(timer); return ok; });
  }

  function waitForServer() {
    setTimeout(function () {
      serverAnswers(1500).then(function (ok) {
        // A page that expects the server to go away (软件更新) comes back to itself; any other to the attract loop.
        var back = document.querySelector("[data-come-back]") ? window.location.href : body.dataset.attractUrl;
        if (ok) window.location.replace(back);
        else waitForServer();
      });
    }, POLL_MS);
  }

  /* Show the notice: full screen and waiting on the kiosk screen, a few seconds on a phone. */
  function showUnreachable() {
    var box = document.getElementById("reconnect");
    if (!onScreen) {
      if (!box) return;
      box.hidden = false;
      clearTimeout(hideTimer);
      hideTimer = setTimeout(function () { box.hidden = true; }, 6000);
      return;
    }
    if (box) box.hidden = false;
    if (waiting) return;
    waiting = true;
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    waitForServer();
  }

  /* Navigate only once the server has answered; otherwise show the notice (used by the idle reset and the
     attract loop's tap in kiosk.js, which would otherwise land on Chromium's error page). */
  window.kioskNavigate = function (url, replace) {
    serverAnswers(4000).then(function (ok) {
      if (!ok) { showUnreachable(); return; }
      if (replace) window.location.replace(url);
      else window.location.assign(url);
    });
  };

  document.addEventListener("htmx:sendError", showUnreachable);
  document.addEventListener("htmx:timeout", showUnreachable);
  document.addEventListener("htmx:responseError", function (e) {
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    if (status === 0 || (status >= 502 && status <= 504)) showUnreachable();
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    if (onScreen || !e.detail.successful) return;
    var box = document.getElementById("reconnect");
    if (box) box.hidden = true;
  });
})();
