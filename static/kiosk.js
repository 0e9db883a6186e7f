/* The kiosk's behaviour on every screen: idle reset, attract loop, gallery, pinyin keys, captions. */
(function () {
  "use strict";
  var body = document.body;

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
      window.location.replace(body.dataset.attractUrl);
    }
    setInterval(function () {
      if (document.getElementById("attract") || mediaPlaying()) { activity(); return; }
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
      e.preventDefault();
      window.location.assign(root.getAttribute("href"));
    }
    root.addEventListener("pointerdown", leave);
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

  /* Captions: the transcript's sentence being spoken is highlighted, timed by its share of the text. */
  document.addEventListener("timeupdate", function (e) {
    var audio = e.target;
    if (!audio.dataset || !audio.dataset.transcript || !audio.duration) return;
    var box = document.getElementById(audio.dataset.transcript);
    if (!box) return;
    var cues = box.querySelectorAll(".cue");
    var total = 0;
    cues.forEach(function (c) { total += c.textContent.length; });
    var spoken = (audio.currentTime / audio.duration) * total;
    var seen = 0;
    cues.forEach(function (c) {
      var start = seen;
      seen += c.textContent.length;
      var on = spoken >= start && spoken < seen;
      if (on && !c.classList.contains("is-on")) {
        c.classList.add("is-on");
        box.scrollTop = c.offsetTop - box.offsetTop - box.clientHeight / 3;
      } else if (!on) {
        c.classList.remove("is-on");
      }
    });
    box.classList.add("is-playing");
  }, true);

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

  startIdleWatch();
  startAttract();
})();
