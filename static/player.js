/* The kiosk's own media controls on a detail page: big buttons, a seek bar, captions and a tappable transcript. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var ICONS = {
    play: "M8 5v14l11-7z",
    pause: "M6 5h4v14H6zM14 5h4v14h-4z",
    sound: "M3 9v6h4l5 5V4L7 9zM14 7.5v9a4.5 4.5 0 0 0 0-9zM14 3v2.1a7 7 0 0 1 0 13.8V21a9 9 0 0 0 0-18z",
    muted: "M3 9v6h4l5 5V4L7 9zM15 9.4l1.4-1.4 2.1 2.1 2.1-2.1 1.4 1.4-2.1 2.1 2.1 2.1-1.4 1.4-2.1-2.1-2.1 2.1-1.4-1.4 2.1-2.1z",
    full: "M4 4h6v2H6v4H4zM14 4h6v6h-2V6h-4zM4 14h2v4h4v2H4zM18 14h2v6h-6v-2h4z",
    exitFull: "M8 4h2v6H4V8h4zM14 4h2v4h4v2h-6zM4 14h6v6H8v-4H4zM14 14h6v2h-4v4h-2z"
  };

  function button(kind, icon, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "player-btn player-" + kind;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.appendChild(document.createElementNS(SVG, "path"));
    var text = document.createElement("span");
    text.className = "player-label";
    b.append(svg, text);
    show(b, icon, label);
    return b;
  }

  /* A button's icon and its Chinese name (the visible label is its accessible name). */
  function show(b, icon, label) {
    b.querySelector("path").setAttribute("d", ICONS[icon]);
    b.querySelector(".player-label").textContent = label;
  }

  function slider(kind, label, max, step) {
    var input = document.createElement("input");
    input.type = "range";
    input.className = "player-" + kind;
    input.min = "0";
    input.max = String(max);
    input.step = step;
    input.value = "0";
    input.setAttribute("aria-label", label);
    return input;
  }

  function clock(seconds) {
    if (!isFinite(seconds)) return "--:--";
    var s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function fill(input, share) {
    input.style.setProperty("--fill", (Math.min(1, Math.max(0, share)) * 100).toFixed(2) + "%");
  }

  function start(media) {
    var p = media.play();
    if (p && p.catch) p.catch(function () {});
  }

  function toggle(media) {
    if (media.paused || media.ended) start(media);
    else media.pause();
  }

  /* One clip at a time: a narration over a video is noise to both. */
  function pauseOthers(playing) {
    document.querySelectorAll("[data-player] video, [data-player] audio").forEach(function (m) {
      if (m !== playing && !m.paused) m.pause();
    });
  }

  function fullscreenOf(wrapper, media) {
    if (document.fullscreenElement) { document.exitFullscreen().catch(function () {}); return; }
    if (wrapper.requestFullscreen) wrapper.requestFullscreen().catch(function () {});
    else if (media.webkitEnterFullscreen) media.webkitEnterFullscreen(); // iPhone: only the video itself
  }

  /* Captions of a clip: the active cue in a caption line (audio), the transcript highlighted and tappable. */
  function captions(media, bar) {
    var trackEl = media.querySelector("track[kind=captions]");
    if (!trackEl) return null;
    var track = trackEl.track;
    var line = null;
    if (media.tagName === "AUDIO") {
      track.mode = "hidden"; // browsers draw no captions for audio: the caption line does
      line = document.createElement("p");
      line.className = "caption-line";
      line.dataset.empty = "true";
      bar.after(line);
    }
    var box = media.dataset.transcript ? document.getElementById(media.dataset.transcript) : null;
    track.addEventListener("cuechange", function () {
      // The latest-starting active cue: after a seek to a cue's start, Chromium keeps the one ending there active too.
      var active = track.activeCues;
      var cue = active && active.length ? active[active.length - 1] : null;
      if (line) {
        line.textContent = cue ? cue.getCueAsHTML().textContent : "";
        line.dataset.empty = String(!cue);
      }
      if (!box) return;
      box.querySelectorAll(".cue").forEach(function (span) {
        var on = !!cue && span.dataset.cue === cue.id;
        if (on && !span.classList.contains("is-on")) box.scrollTop = span.offsetTop - box.offsetTop - box.clientHeight / 3;
        span.classList.toggle("is-on", on);
      });
    });
    function linkTranscript() {
      if (!box || !track.cues) return;
      box.querySelectorAll(".cue[data-cue]").forEach(function (span) {
        var cue = track.cues.getCueById(span.dataset.cue);
        if (!cue) return;
        span.dataset.start = String(cue.startTime);
        span.setAttribute("role", "button");
        span.tabIndex = 0;
      });
      box.classList.add("is-linked");
    }
    trackEl.addEventListener("load", linkTranscript);
    if (trackEl.readyState === 2) linkTranscript();
    if (box) {
      var jump = function (e) {
        var span = e.target.closest(".cue[data-start]");
        if (!span || (e.type === "keydown" && e.key !== "Enter" && e.key !== " ")) return;
        e.preventDefault();
        media.currentTime = parseFloat(span.dataset.start);
        start(media);
      };
      box.addEventListener("click", jump);
      box.addEventListener("keydown", jump);
    }
    return line;
  }

  function setUp(wrapper) {
    var media = wrapper.querySelector("video, audio");
    if (!media || wrapper.querySelector(".player-bar")) return;
    // Failed before this script ran: the error went unseen, so the placeholder (kiosk.js) is asked for now.
    if (media.error) { media.dispatchEvent(new Event("error")); return; }
    var isVideo = media.tagName === "VIDEO";
    var bar = document.createElement("div");
    bar.className = "player-bar";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", isVideo ? "视频播放控制" : "音频播放控制");
    var play = button("play", "play", "播放");
    var time = document.createElement("span");
    time.className = "player-time";
    var seek = slider("seek", "播放进度", 0, "any");
    var mute = button("mute", "sound", "静音");
    var volume = slider("volume", "音量", 1, "0.05");
    volume.value = String(media.volume);
    fill(volume, media.volume);
    bar.append(play, time, seek, mute, volume);
    var full = null;
    if (isVideo) {
      full = button("fullscreen", "full", "全屏");
      bar.append(full);
    }
    media.after(bar);
    media.controls = false;
    var line = captions(media, bar);

    var dragging = false;
    function showTime() {
      var d = media.duration;
      if (isFinite(d) && d > 0) seek.max = String(d);
      if (!dragging) seek.value = String(media.currentTime);
      fill(seek, isFinite(d) && d > 0 ? media.currentTime / d : 0);
      time.textContent = clock(media.currentTime) + " / " + clock(d);
      seek.setAttribute("aria-valuetext", time.textContent);
    }
    function showPlaying() {
      var playing = !media.paused && !media.ended;
      show(play, playing ? "pause" : "play", playing ? "暂停" : "播放");
      wrapper.classList.toggle("is-playing", playing);
    }
    function showVolume() {
      var silent = media.muted || media.volume === 0;
      show(mute, silent ? "muted" : "sound", silent ? "取消静音" : "静音");
      volume.value = String(media.muted ? 0 : media.volume);
      fill(volume, media.muted ? 0 : media.volume);
    }
    ["loadedmetadata", "durationchange", "timeupdate", "seeked", "emptied"].forEach(function (type) {
      media.addEventListener(type, showTime);
    });
    ["play", "playing", "pause", "ended"].forEach(function (type) { media.addEventListener(type, showPlaying); });
    media.addEventListener("play", function () { pauseOthers(media); });
    media.addEventListener("volumechange", showVolume);
    media.addEventListener("error", function () { bar.remove(); if (line) line.remove(); });

    play.addEventListener("click", function () { toggle(media); });
    if (isVideo) media.addEventListener("click", function () { toggle(media); });
    seek.addEventListener("pointerdown", function () { dragging = true; });
    ["pointerup", "pointercancel", "change"].forEach(function (type) {
      seek.addEventListener(type, function () { dragging = false; });
    });
    seek.addEventListener("input", function () {
      media.currentTime = parseFloat(seek.value);
      showTime();
    });
    mute.addEventListener("click", function () {
      if (media.muted || media.volume === 0) {
        media.muted = false;
        if (media.volume === 0) media.volume = 1;
      } else {
        media.muted = true;
      }
    });
    volume.addEventListener("input", function () {
      media.volume = parseFloat(volume.value);
      media.muted = media.volume === 0;
    });
    if (full) {
      full.addEventListener("click", function () { fullscreenOf(wrapper, media); });
      document.addEventListener("fullscreenchange", function () {
        var on = document.fullscreenElement === wrapper;
        show(full, on ? "exitFull" : "full", on ? "退出全屏" : "全屏");
      });
    }
    showTime();
    showPlaying();
    showVolume();
  }

  document.querySelectorAll("[data-player]").forEach(setUp);
  /* A page swapped in by htmx (a boosted link) gets its players too. */
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("[data-player]").forEach(setUp);
  });
})();
