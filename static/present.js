/* The big screen of a 路演: it follows the presentation's state (polled on the kiosk's own loopback listener). */
(function () {
  "use strict";
  var body = document.body;
  var version = -1;
  var mediaStamp = null;
  var failures = 0;
  var POLL_MS = 120;

  function el(id) { return document.getElementById(id); }

  function current(index) { return document.querySelector('.show[data-index="' + index + '"]'); }

  /* Carry out a play / pause / seek the phone sent, once (each has its own stamp). */
  function playMedia(show, media) {
    if (!media || !media.action || media.stamp === mediaStamp) return;
    mediaStamp = media.stamp;
    var target = show && show.querySelector('[data-kind="' + media.kind + '"][data-n="' + media.n + '"]');
    if (!target) return;
    Array.prototype.forEach.call(document.querySelectorAll("video, audio"), function (m) {
      if (m !== target) m.pause();
    });
    if (media.kind === "video") {
      Array.prototype.forEach.call(show.querySelectorAll(".show-photo"), function (p) { p.hidden = true; });
      target.hidden = false;
    }
    if (media.action === "seek") { target.currentTime = media.at; return; }
    if (media.action === "pause") { target.pause(); return; }
    var started = target.play();
    if (started && started.catch) started.catch(function () {});
  }

  function apply(state) {
    if (!state.active) { window.location.replace("/attract"); return; }
    if (state.playlist.join(",") !== body.dataset.playlist) { window.location.reload(); return; }
    el("pairing-code").textContent = state.code || "······";
    // Big until a phone controls the screen, then a small corner card (a second phone can still pair).
    el("pairing").classList.toggle("is-small", !!state.controller);
    el("pairing-phones").textContent = state.phones.length ? "已连接：" + state.phones.join("、") + (state.controller ? "（" + state.controller + " 控制）" : "") : "";
    el("blackout").hidden = !state.blackout;
    document.documentElement.classList.remove("size-125", "size-15");
    if (state.text_size === 1.25) document.documentElement.classList.add("size-125");
    if (state.text_size === 1.5) document.documentElement.classList.add("size-15");
    body.classList.toggle("no-captions", !state.captions);
    var shown = state.shown;
    Array.prototype.forEach.call(document.querySelectorAll(".show"), function (s) {
      var on = Number(s.dataset.index) === shown.index;
      if (!on && !s.hidden) Array.prototype.forEach.call(s.querySelectorAll("video, audio"), function (m) { m.pause(); });
      s.hidden = !on;
    });
    var show = current(shown.index);
    if (!show) return;
    var photos = show.querySelectorAll(".show-photo");
    var video = show.querySelector(".show-video:not([hidden])");
    if (!video || video.paused) {
      if (video) video.hidden = true;
      Array.prototype.forEach.call(photos, function (p, i) { p.hidden = i !== Math.min(shown.photo, photos.length - 1); });
    }
    if (!state.frozen) playMedia(show, state.media);
  }

  function poll() {
    fetch(body.dataset.stateUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (state) {
        failures = 0;
        el("show-lost").hidden = true;
        if (state.version !== version) { version = state.version; apply(state); }
      })
      .catch(function () { failures += 1; if (failures > 10) el("show-lost").hidden = false; })
      .then(function () { setTimeout(poll, POLL_MS); });
  }

  /* Captions: the sentence being spoken, timed by its share of the transcript's characters. */
  document.addEventListener("timeupdate", function (e) {
    var audio = e.target;
    if (audio.dataset.kind !== "audio" || !audio.duration) return;
    var line = audio.parentNode.querySelector('[data-caption-for="' + audio.dataset.n + '"]');
    if (!line) return;
    line.hidden = false;
    var cues = line.querySelectorAll(".cue");
    var total = 0;
    cues.forEach(function (c) { total += c.textContent.length; });
    var spoken = (audio.currentTime / audio.duration) * total;
    var seen = 0;
    cues.forEach(function (c) { var start = seen; seen += c.textContent.length; c.hidden = !(spoken >= start && spoken < seen); });
  }, true);

  /* The kiosk's own keyboard and USB clickers (PageDown / PageUp / arrows / B / .). */
  var KEYS = { PageDown: "next", ArrowRight: "next", ArrowDown: "next", " ": "next",
    PageUp: "previous", ArrowLeft: "previous", ArrowUp: "previous", b: "blackout", B: "blackout", ".": "blackout" };
  document.addEventListener("keydown", function (e) {
    var action = KEYS[e.key];
    if (!action) return;
    e.preventDefault();
    var token = document.querySelector('meta[name="csrf-token"]').content;
    fetch(body.dataset.keyUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": token },
      body: new URLSearchParams({ action: action }) }).catch(function () {});
  });

  poll();
})();
