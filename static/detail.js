/* Detail page: the section bar follows the reading, and photos open in a full-screen viewer. */
(function () {
  "use strict";
  var root = document.documentElement;

  /* The header sticks on large screens only: measure what really covers the top of the page. */
  function measureBars() {
    var bar = document.querySelector(".section-bar");
    if (!bar) return 0;
    var header = document.querySelector(".topbar");
    var headerHeight = header && getComputedStyle(header).position === "sticky" ? header.offsetHeight : 0;
    root.style.setProperty("--topbar-h", headerHeight + "px");
    root.style.setProperty("--section-bar-h", bar.offsetHeight + "px");
    return headerHeight + bar.offsetHeight;
  }

  function sectionTabs() {
    return Array.prototype.filter.call(document.querySelectorAll(".section-bar .section-tab"), function (t) {
      return t.getAttribute("href").charAt(0) === "#";
    });
  }

  function markCurrent(id) {
    sectionTabs().forEach(function (tab) {
      var on = tab.getAttribute("href") === "#" + id;
      tab.classList.toggle("is-current", on);
      if (on) tab.setAttribute("aria-current", "location");
      else tab.removeAttribute("aria-current");
    });
  }

  /* The current section is the one crossing a band just below the sticky bars; the blocks after a section
     (成果完成人, 成果简介… after 详情) count as part of it. While a tapped tab's smooth scroll runs, the sections
     it passes are not marked. */
  var observer = null;
  var jumping = null;
  var markCrossing = function () {};
  function jumped() {
    clearTimeout(jumping);
    jumping = null;
    markCrossing();
  }
  function trackSections() {
    if (observer) { observer.disconnect(); observer = null; }
    var tabs = sectionTabs();
    if (!tabs.length || !window.IntersectionObserver) return;
    var covered = measureBars();
    var ids = tabs.map(function (t) { return t.getAttribute("href").slice(1); });
    var blocks = [];
    var owner = null;
    Array.prototype.forEach.call(document.querySelectorAll(".achievement > *"), function (el) {
      if (ids.indexOf(el.id) >= 0) owner = el.id;
      if (owner) blocks.push({ el: el, id: owner, crossing: false });
    });
    markCrossing = function () {
      var current = blocks.filter(function (b) { return b.crossing; })[0];
      if (current && !jumping) markCurrent(current.id);
    };
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        blocks.forEach(function (b) { if (b.el === entry.target) b.crossing = entry.isIntersecting; });
      });
      markCrossing();
    }, { rootMargin: -(covered + 1) + "px 0px " + -Math.max(0, window.innerHeight - covered - 160) + "px 0px" });
    blocks.forEach(function (b) { observer.observe(b.el); });
  }

  document.addEventListener("click", function (e) {
    var tab = e.target.closest(".section-bar .section-tab");
    if (!tab || tab.getAttribute("href").charAt(0) !== "#") return;
    var target = document.getElementById(tab.getAttribute("href").slice(1));
    if (!target) return;
    // No hash in the address: the back button leaves the page rather than stepping through sections.
    e.preventDefault();
    measureBars();
    markCurrent(target.id);
    clearTimeout(jumping);
    jumping = setTimeout(jumped, 1500);
    target.scrollIntoView({ behavior: "smooth", block: "start" });
  });
  document.addEventListener("scrollend", function () { if (jumping) jumped(); });

  /* Photo viewer: a tap on a gallery photo shows it full screen at full resolution. */
  var state = { index: 0, scale: 1, x: 0, y: 0 };
  var pointers = new Map();
  var gesture = null;
  var lastTap = null;

  function parts() {
    var box = document.getElementById("viewer");
    if (!box) return null;
    return {
      box: box,
      stage: box.querySelector(".viewer-stage"),
      img: box.querySelector(".viewer-img"),
      count: box.querySelector(".viewer-count"),
      title: box.querySelector(".viewer-title")
    };
  }
  function photos() { return Array.prototype.slice.call(document.querySelectorAll("img[data-viewer-photo]")); }
  function isOpen() { var v = parts(); return !!v && !v.box.hidden; }

  /* Keep a zoomed photo over the screen: it may not be dragged out of sight. */
  function clampPan() {
    var v = parts();
    var maxX = (state.scale - 1) * v.stage.clientWidth / 2;
    var maxY = (state.scale - 1) * v.stage.clientHeight / 2;
    state.x = Math.max(-maxX, Math.min(maxX, state.x));
    state.y = Math.max(-maxY, Math.min(maxY, state.y));
  }
  function apply(settle) {
    var img = parts().img;
    img.classList.toggle("is-settling", !!settle);
    img.style.transform = "translate(" + state.x + "px, " + state.y + "px) scale(" + state.scale + ")";
    img.dataset.scale = String(state.scale);
  }
  /* Zoom to scale s keeping the point (px, py) of the screen where it is. */
  function zoomAt(s, px, py, settle) {
    var rect = parts().stage.getBoundingClientRect();
    var cx = px - rect.left - rect.width / 2;
    var cy = py - rect.top - rect.height / 2;
    s = Math.max(1, Math.min(6, s));
    state.x = cx - (cx - state.x) * (s / state.scale);
    state.y = cy - (cy - state.y) * (s / state.scale);
    state.scale = s;
    clampPan();
    apply(settle);
  }
  function resetZoom(settle) {
    state.scale = 1; state.x = 0; state.y = 0;
    apply(settle);
  }

  function show(i) {
    var v = parts();
    var list = photos();
    if (!v || !list.length) return;
    state.index = (i + list.length) % list.length;
    var from = list[state.index];
    var index = state.index;
    resetZoom(false);
    // The screen-sized copy is already loaded: show it at once, then the original when it has arrived.
    v.img.src = from.currentSrc || from.src;
    v.img.alt = from.alt;
    if (from.dataset.full) {
      var original = new Image();
      original.onload = function () { if (state.index === index && isOpen()) v.img.src = from.dataset.full; };
      original.src = from.dataset.full;
    }
    v.count.textContent = (state.index + 1) + " / " + list.length;
    var caption = from.closest("figure") && from.closest("figure").querySelector("figcaption");
    v.title.textContent = caption ? caption.textContent : from.alt;
  }

  function open(i) {
    var v = parts();
    v.box.hidden = false;
    document.body.classList.add("viewer-open");
    show(i);
    // An entry of its own in the history: the back button closes the viewer instead of leaving the page.
    history.pushState({ photoViewer: true }, "", window.location.href);
    v.box.querySelector(".viewer-close").focus();
  }
  function hide() {
    var v = parts();
    if (!v) return;
    v.box.hidden = true;
    document.body.classList.remove("viewer-open");
    pointers.clear();
    gesture = null;
    var slide = photos()[state.index];
    var track = slide && slide.closest(".gallery-track");
    if (track) track.scrollLeft = slide.closest(".slide").offsetLeft - track.firstElementChild.offsetLeft;
  }
  function close() {
    if (history.state && history.state.photoViewer) history.back();
    else hide();
  }

  // Registered before htmx's own popstate handler (which would reload the page): the viewer closes and that is all.
  window.addEventListener("popstate", function (e) {
    if (!isOpen()) return;
    hide();
    e.stopImmediatePropagation();
  });

  document.addEventListener("click", function (e) {
    var photo = e.target.closest("img[data-viewer-photo]");
    if (photo && parts()) { open(photos().indexOf(photo)); return; }
    var button = e.target.closest("[data-viewer]");
    if (!button) return;
    if (button.dataset.viewer === "close") close();
    else show(state.index + (button.dataset.viewer === "next" ? 1 : -1));
  });
  document.addEventListener("keydown", function (e) {
    if (!isOpen()) return;
    if (e.key === "Escape") { e.preventDefault(); close(); }
    else if (e.key === "ArrowRight") show(state.index + 1);
    else if (e.key === "ArrowLeft") show(state.index - 1);
  });

  function distance(a, b) { return Math.hypot(a.x - b.x, a.y - b.y); }
  function middle(a, b) { return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }; }
  function onStage(e) { return e.target.closest && e.target.closest(".viewer-stage"); }

  function tapped(e) {
    var now = Date.now();
    if (lastTap && now - lastTap.t < 350 && Math.hypot(e.clientX - lastTap.x, e.clientY - lastTap.y) < 40) {
      lastTap = null;
      if (state.scale > 1) resetZoom(true);
      else zoomAt(2.5, e.clientX, e.clientY, true);
    } else {
      lastTap = { t: now, x: e.clientX, y: e.clientY };
    }
  }

  document.addEventListener("pointerdown", function (e) {
    var stage = onStage(e);
    if (!stage) return;
    e.preventDefault();
    if (stage.setPointerCapture) try { stage.setPointerCapture(e.pointerId); } catch (err) { /* pointer gone */ }
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    var p = Array.from(pointers.values());
    if (p.length === 1) {
      gesture = { kind: "drag", x0: e.clientX, y0: e.clientY, tx: state.x, ty: state.y, moved: false };
    } else if (p.length === 2) {
      gesture = { kind: "pinch", d0: distance(p[0], p[1]) || 1, s0: state.scale, m0: middle(p[0], p[1]), tx: state.x, ty: state.y };
      lastTap = null;
    }
  });
  document.addEventListener("pointermove", function (e) {
    if (!pointers.has(e.pointerId) || !gesture) return;
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    var p = Array.from(pointers.values());
    if (gesture.kind === "pinch" && p.length >= 2) {
      var rect = parts().stage.getBoundingClientRect();
      var s = Math.max(1, Math.min(6, gesture.s0 * distance(p[0], p[1]) / gesture.d0));
      var m = middle(p[0], p[1]);
      var cx = gesture.m0.x - rect.left - rect.width / 2;
      var cy = gesture.m0.y - rect.top - rect.height / 2;
      // The point that was under the fingers' middle stays under it, and follows it when the fingers move.
      state.x = cx - (cx - gesture.tx) * (s / gesture.s0) + (m.x - gesture.m0.x);
      state.y = cy - (cy - gesture.ty) * (s / gesture.s0) + (m.y - gesture.m0.y);
      state.scale = s;
      apply(false);
    } else if (gesture.kind === "drag" || gesture.kind === "pan") {
      var dx = e.clientX - gesture.x0;
      var dy = e.clientY - gesture.y0;
      if (Math.abs(dx) > 8 || Math.abs(dy) > 8) gesture.moved = true;
      if (state.scale > 1) { state.x = gesture.tx + dx; state.y = gesture.ty + dy; clampPan(); }
      else { state.x = dx; state.y = 0; }
      apply(false);
    }
  });
  function pointerEnd(e) {
    if (!pointers.has(e.pointerId)) return;
    pointers.delete(e.pointerId);
    if (!gesture) return;
    if (gesture.kind === "pinch") {
      if (state.scale < 1.05) resetZoom(true);
      var rest = Array.from(pointers.values());
      // One finger left after a pinch pans; it never swipes to another photo.
      gesture = rest.length === 1 ? { kind: "pan", x0: rest[0].x, y0: rest[0].y, tx: state.x, ty: state.y, moved: true } : null;
      return;
    }
    var dx = e.clientX - gesture.x0;
    var dy = e.clientY - gesture.y0;
    if (gesture.kind === "drag" && state.scale <= 1 && Math.abs(dx) > 60 && Math.abs(dx) > Math.abs(dy)) {
      show(state.index + (dx < 0 ? 1 : -1));
    } else {
      if (state.scale <= 1) { state.x = 0; state.y = 0; apply(true); }
      if (!gesture.moved && e.type === "pointerup") tapped(e);
    }
    gesture = pointers.size ? gesture : null;
  }
  document.addEventListener("pointerup", pointerEnd);
  document.addEventListener("pointercancel", pointerEnd);
  document.addEventListener("wheel", function (e) {
    if (!onStage(e)) return;
    e.preventDefault();
    zoomAt(state.scale * (e.deltaY < 0 ? 1.25 : 0.8), e.clientX, e.clientY, true);
  }, { passive: false });

  /* Boosted navigation replaces the body without reloading scripts: set the page up after every swap. */
  function setUp() {
    if (isOpen()) hide();
    trackSections();
  }
  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:afterSettle", function (e) { if (e.target === document.body) setUp(); });
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(trackSections, 150);
  });
})();
