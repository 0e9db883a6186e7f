/* The kiosk's behaviour on every screen: idle reset, attract loop, gallery, pinyin keys, usage reports. */
(function () {
  "use strict";
  var body = document.body;
  var leaving = false;

  /* Go to another page once: a second navigation while the first still loads would abort it. */
  function leaveFor(url, replace) {
    if (leaving) return;
    leaving = true;
    if (window.kioskNavigate) window.kioskNavigate(url, replace);  // resilience.js: never into an error page
    else if (replace) window.location.replace(url);
    else window.location.assign(url);
  }

  /* Idle reset: after the idle time a visible countdown, then back to the attract loop. */
  function startIdleWatch() {
    if (body.dataset.kioskScreen !== "true") return;
    var idleMs = (parseFloat(body.dataset.idleSeconds) || 90) * 1000;
    var warnMs = (parseFloat(body.dataset.idleWarningSeconds) || 10) * 1000;
    var last = Date.now();
    function box() { return document.getElementById("idle-warning"); }
    function activity() {
      last = Date.now();
      if (box() && !box().hidden) box().hidden = true;
    }
    ["pointerdown", "keydown", "touchstart", "wheel", "input"].forEach(function (type) {
      document.addEventListener(type, activity, { capture: true, passive: true });
    });
    function mediaPlaying() {
      return Array.prototype.some.call(document.querySelectorAll("video, audio"), function (m) {
        return !m.paused && !m.ended;
      });
    }
    function reset() {
      Array.prototype.forEach.call(document.querySelectorAll("form"), function (f) { f.reset(); });
      Array.prototype.forEach.call(document.querySelectorAll("input, textarea"), function (el) {
        if (el.type !== "hidden" && el.type !== "checkbox" && el.type !== "radio") el.value = "";
        else if (el.type !== "hidden") el.checked = false;
      });
      forgetView();
      endVisit(function () { leaveFor(body.dataset.attractUrl, true); });
    }
    setInterval(function () {
      if (document.getElementById("attract") || document.getElementById("screen-closed") || mediaPlaying()) {
        activity();
        return;
      }
      var idle = Date.now() - last;
      if (idle >= idleMs + warnMs) { reset(); return; }
      if (idle >= idleMs && box()) {
        box().hidden = false;
        document.getElementById("idle-count").textContent = Math.max(1, Math.ceil((idleMs + warnMs - idle) / 1000));
      }
    }, 250);
    document.addEventListener("click", function (e) {
      if (e.target.closest("#idle-stay")) activity();
    });
  }

  /* 大字 and 高对比 on the kiosk screen: kept from page to page in this tab until the idle reset. */
  var VIEW_KEY = "kiosk-view";
  function viewChoices() {
    try { return JSON.parse(window.sessionStorage.getItem(VIEW_KEY) || "{}"); } catch (e) { return {}; }
  }
  function applyView() {
    if (body.dataset.kioskScreen !== "true") return;
    var on = viewChoices();
    document.documentElement.classList.toggle("view-large", !!on.large);
    document.documentElement.classList.toggle("view-contrast", !!on.contrast);
    Array.prototype.forEach.call(document.querySelectorAll("[data-view]"), function (b) {
      b.setAttribute("aria-pressed", String(!!on[b.dataset.view]));
    });
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-view]");
    if (!button) return;
    var on = viewChoices();
    on[button.dataset.view] = !on[button.dataset.view];
    try { window.sessionStorage.setItem(VIEW_KEY, JSON.stringify(on)); } catch (err) { /* storage off */ }
    applyView();
  });
  document.addEventListener("htmx:afterSettle", applyView);
  function forgetView() {
    try { window.sessionStorage.removeItem(VIEW_KEY); } catch (e) { /* storage off */ }
  }

  /* Staff reach their console from the kiosk screen by holding the logo 3 seconds: no visitor does that by chance. */
  var STAFF_HOLD_MS = 3000;
  var holdTimer = null;
  var held = false;
  document.addEventListener("pointerdown", function (e) {
    if (body.dataset.kioskScreen !== "true" || !e.target.closest || !e.target.closest(".brand")) return;
    held = false;
    clearTimeout(holdTimer);
    holdTimer = setTimeout(function () { held = true; leaveFor("/staff/", false); }, STAFF_HOLD_MS);
  });
  ["pointerup", "pointercancel", "pointerleave"].forEach(function (type) {
    document.addEventListener(type, function () { clearTimeout(holdTimer); }, true);
  });
  document.addEventListener("click", function (e) {
    if (held && e.target.closest && e.target.closest(".brand")) { e.preventDefault(); e.stopPropagation(); }
  }, true);
  document.addEventListener("contextmenu", function (e) {
    if (e.target.closest && e.target.closest(".brand")) e.preventDefault();  // a long touch opens no menu
  });

  /* Outside the opening hours the screen is black: a touch shows when it opens, for a few seconds. */
  function startClosed() {
    var root = document.getElementById("screen-closed");
    if (!root) return;
    var timer = null;
    root.addEventListener("pointerdown", function () {
      root.classList.add("is-touched");
      clearTimeout(timer);
      timer = setTimeout(function () { root.classList.remove("is-touched"); }, 8000);
    });
    root.querySelector(".brand").addEventListener("click", function (e) { e.preventDefault(); });  // no way in
  }

  /* Attract loop: one winner at a time, muted clips play through, photos stay a few seconds. */
  function startAttract() {
    var root = document.getElementById("attract");
    if (!root) return;
    var slides = root.querySelectorAll("[data-slide]");
    var index = -1;
    var timer = null;
    function show(next) {
      if (!slides.length) return;
      var old = slides[index];
      if (old) {
        old.classList.remove("is-on");
        var oldVideo = old.querySelector("video");
        if (oldVideo) oldVideo.pause();
      }
      index = next % slides.length;
      var slide = slides[index];
      slide.classList.add("is-on");
      clearTimeout(timer);
      var video = slide.querySelector("video");
      if (video) {
        video.muted = true;
        video.preload = "auto";
        try { video.currentTime = 0; } catch (e) { /* not loaded yet */ }
        var p = video.play();
        if (p && p.catch) p.catch(function () {});
        video.onended = function () { show(index + 1); };
        timer = setTimeout(function () { show(index + 1); }, 12000);
      } else {
        timer = setTimeout(function () { show(index + 1); }, 6000);
      }
    }
    show(0);
    function leave(e) {
      // The touch leaves at once; the link's own click after it is held back.
      e.preventDefault();
      leaveFor(root.getAttribute("href"), false);
    }
    root.addEventListener("pointerdown", leave);
    root.addEventListener("click", leave);
    document.addEventListener("keydown", leave);
  }

  /* Gallery: swipe natively (scroll snap); buttons step one photo. */
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-gallery]");
    if (!button) return;
    var track = button.closest(".gallery").querySelector(".gallery-track");
    var step = track.clientWidth * (button.dataset.gallery === "next" ? 1 : -1);
    track.scrollBy({ left: step, behavior: "smooth" });
  });

  /* Pinyin keyboard: letters for the search box on a touchscreen without an input method. */
  document.addEventListener("click", function (e) {
    var toggle = e.target.closest("[data-toggle-keyboard]");
    if (toggle) {
      var pad = document.getElementById("letters");
      pad.hidden = !pad.hidden;
      toggle.setAttribute("aria-expanded", String(!pad.hidden));
      // Open, the keys take a column of their own beside the results, which stay in sight.
      document.getElementById("home-layout").classList.toggle("keys-open", !pad.hidden);
      return;
    }
    var key = e.target.closest("[data-key]");
    if (!key) return;
    var input = document.getElementById("q");
    if (key.dataset.key === "backspace") input.value = input.value.slice(0, -1);
    else if (key.dataset.key === "clear") input.value = "";
    else input.value += key.dataset.key;
    if (window.htmx) window.htmx.trigger(input, "keyboard");
  });

  /* A damaged file: a placeholder where the media would be. */
  function placeholder(el, text) {
    var div = document.createElement("div");
    div.className = "placeholder media-placeholder";
    div.textContent = text;
    el.replaceWith(div);
  }
  document.addEventListener("error", function (e) {
    var el = e.target;
    if (el.matches && el.matches("video[data-media]")) placeholder(el, "视频暂时无法播放");
    else if (el.matches && el.matches("audio[data-media]")) placeholder(el, "音频暂时无法播放");
    else if (el.matches && el.matches("img[data-fallback]")) placeholder(el, "照片暂时无法显示");
  }, true);

  /* Usage figures: a video or audio explanation played, heard half way, heard to its end; a visit's end. */
  var eventToken = null;
  function sendEvent(fields, done) {
    var send = function (token) {
      fetch("/events", { method: "POST", body: new URLSearchParams(fields), headers: { "X-CSRF-Token": token }, credentials: "same-origin", keepalive: true })
        .catch(function () {}).then(done || function () {});
    };
    if (eventToken) { send(eventToken); return; }
    fetch("/events/token", { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) { eventToken = data.token; send(eventToken); }).catch(done || function () {});
  }
  function report(metric, el) {
    var article = el.closest("[data-achievement]");
    if (article) sendEvent({ metric: metric, achievement: article.dataset.achievement });
  }
  document.addEventListener("play", function (e) {
    var el = e.target;
    if (!el.dataset || !el.dataset.media || el.dataset.reported) return;
    el.dataset.reported = "1";
    report(el.dataset.media + "_play", el);
  }, true);
  document.addEventListener("timeupdate", function (e) {
    var el = e.target;
    if (!el.dataset || !el.dataset.media || el.dataset.halfReported || !(el.duration > 0)) return;
    if (el.currentTime < el.duration / 2) return;
    el.dataset.halfReported = "1";
    report(el.dataset.media + "_half", el);
  }, true);
  document.addEventListener("ended", function (e) {
    if (e.target.dataset && e.target.dataset.media) report(e.target.dataset.media + "_complete", e.target);
  }, true);

  /* A visit, for the staff dashboard: on the kiosk screen from the first touch to the idle reset, on a phone
     its session (ended by 30 minutes without a page). The page sets the cookie itself: pages stay cached. */
  var VISIT_COOKIE = "kiosk_visit";
  function visitId() {
    var m = document.cookie.match(/(?:^|; )kiosk_visit=([0-9a-f]{16,32})(?:;|$)/);
    return m ? m[1] : null;
  }
  function newVisitId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function setVisit(id, maxAge) {
    document.cookie = VISIT_COOKIE + "=" + id + "; path=/; SameSite=Lax" + (maxAge === undefined ? "" : "; max-age=" + maxAge);
  }
  function startVisit() {
    if (/^\/(staff|present|remote)/.test(window.location.pathname)) {
      // Staff and presenters are no visitors: a visit the logo's long press came from ends here.
      endVisit(function () {});
      return;
    }
    if (document.getElementById("screen-closed")) return;  // closed: a touch there is no visit
    if (body.dataset.kioskScreen === "true") {
      document.addEventListener("pointerdown", function () {
        if (!visitId()) setVisit(newVisitId());
      }, { capture: true, passive: true });
      document.addEventListener("keydown", function () {
        if (!visitId()) setVisit(newVisitId());
      }, { capture: true, passive: true });
      if (visitId() && !eventToken) fetchToken();  // so the idle reset can report at once
      return;
    }
    var id = visitId();
    setVisit(id || newVisitId(), 1800);
    var article = document.querySelector("article[data-achievement]");
    if (!id) sendEvent({ metric: "visit_start", achievement: article ? article.dataset.achievement : "" });
  }
  function fetchToken() {
    return fetch("/events/token", { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) { eventToken = data.token; }).catch(function () {});
  }
  function endVisit(then) {
    var id = visitId();
    if (!id) { then(); return; }
    setVisit("", 0);
    var left = false;
    var leave = function () { if (!left) { left = true; then(); } };
    setTimeout(leave, 1500);
    sendEvent({ metric: "visit_end", visit: id }, leave);
  }

  /* A page brought back from the back/forward cache shows no visitor's typing. */
  window.addEventListener("pageshow", function (e) {
    if (!e.persisted) return;
    Array.prototype.forEach.call(document.querySelectorAll("form[autocomplete=off]"), function (f) { f.reset(); });
  });

  /* An error page (404, 400, 500…) answered to an htmx request replaces the page, so a tap never seems lost. */
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.xhr.status >= 400) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
      e.detail.target = document.body;
      e.detail.swapOverride = "innerHTML";
    }
  });

  /* htmx notes the current path in sessionStorage; a visitor's phone keeps nothing of the kiosk. */
  function forgetHistoryPath() {
    try { window.sessionStorage.removeItem("htmx-current-path-for-history"); } catch (e) { /* storage off */ }
  }
  forgetHistoryPath();
  document.addEventListener("htmx:pushedIntoHistory", forgetHistoryPath);
  document.addEventListener("htmx:replacedInHistory", forgetHistoryPath);
  document.addEventListener("htmx:afterSettle", forgetHistoryPath);

  applyView();
  startIdleWatch();
  startVisit();
  startAttract();
  startClosed();
})();
