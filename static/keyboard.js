/* The kiosk screen's keyboard: pinyin → candidates from the kiosk's dictionary, letters, digits, punctuation. */
(function () {
  "use strict";
  var FIELDS = "textarea, input[type=text], input[type=tel]";
  var LONGEST = 60;
  var state = { field: null, typed: "", english: false, upper: false, words: [], asked: 0 };
  var cache = new Map();

  function keyboard() { return document.getElementById("ime"); }
  function part(selector) { var k = keyboard(); return k && k.querySelector(selector); }

  /* A field the keyboard serves: a visible text field on the kiosk screen, not the home search. */
  function serves(el) {
    return !!(el && el.matches && el.matches(FIELDS) && !el.readOnly && !el.disabled &&
      el.dataset.ime !== "off" && !el.closest("[aria-hidden=true]") && keyboard());
  }

  /* Put text where the caret is, as typing would, and tell the page (counters, htmx) it changed. */
  function insert(text) {
    var el = state.field;
    if (!el || !text) return;
    var start = el.selectionStart == null ? el.value.length : el.selectionStart;
    var end = el.selectionEnd == null ? start : el.selectionEnd;
    if (el.maxLength > 0) {
      var room = el.maxLength - (el.value.length - (end - start));
      if (room <= 0) { notice("已到字数上限（" + el.maxLength + " 字），请删减后再写"); return; }
      if (text.length > room) { text = text.slice(0, room); notice("已到字数上限（" + el.maxLength + " 字）"); }
    }
    el.setRangeText(text, start, end, "end");
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /* Take away the character before the caret, or the selection. */
  function erase() {
    var el = state.field;
    if (!el) return;
    var start = el.selectionStart == null ? el.value.length : el.selectionStart;
    var end = el.selectionEnd == null ? start : el.selectionEnd;
    if (start === end && start > 0) start -= 1;
    if (start === end) return;
    el.setRangeText("", start, end, "end");
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function notice(text) {
    var bar = part(".ime-candidates");
    if (!bar) return;
    bar.textContent = "";
    var p = document.createElement("span");
    p.className = "ime-notice";
    p.textContent = text;
    bar.appendChild(p);
  }

  /* Show the candidates for what is typed; the first is what 空格 chooses. */
  function render() {
    var bar = part(".ime-candidates");
    var typed = part(".ime-typed");
    if (!bar || !typed) return;
    typed.textContent = state.typed;
    bar.textContent = "";
    bar.scrollLeft = 0;
    state.words.forEach(function (w, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "ime-cand" + (i === 0 ? " is-first" : "");
      b.dataset.consumes = w.consumes;
      b.textContent = w.text;
      bar.appendChild(b);
    });
    if (performance.getEntriesByName("ime-key").length) {
      performance.measure("ime-candidates", "ime-key");
      performance.clearMarks("ime-key");
      if (performance.getEntriesByName("ime-candidates").length > 200) performance.clearMeasures("ime-candidates");
    }
  }

  /* Ask the kiosk for the words the letters spell; answers to older letters are dropped. */
  function lookUp() {
    var letters = state.typed;
    if (!letters) { state.words = []; render(); return; }
    if (cache.has(letters)) { state.words = cache.get(letters); render(); return; }
    var asked = ++state.asked;
    var url = keyboard().dataset.candidatesUrl + "?p=" + encodeURIComponent(letters);
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        if (cache.size > 500) cache.clear();
        cache.set(letters, data.candidates);
        if (asked !== state.asked || letters !== state.typed) return;
        state.words = data.candidates;
        render();
      })
      .catch(function () {
        if (asked !== state.asked) return;
        state.words = [];
        render();
        notice("候选词暂时出不来，可以切换到“英”输入字母，或稍后再试");
      });
  }

  /* Choose a candidate: its text goes in, the letters it spells leave the typed row. */
  function choose(text, consumes) {
    insert(text);
    state.typed = state.typed.slice(consumes);
    lookUp();
  }

  /* What is typed becomes text before a digit, punctuation or a space goes in. */
  function settle() {
    if (!state.typed) return;
    if (state.words.length) choose(state.words[0].text, state.words[0].consumes);
    else { insert(state.typed); state.typed = ""; lookUp(); }
    if (state.typed) settle();
  }

  function setEnglish(on) {
    state.english = on;
    var k = keyboard();
    if (!k) return;
    k.classList.toggle("is-english", on);
    part("[data-ime=mode]").textContent = on ? "英 → 中" : "中 → 英";
    var row = part(".ime-row-punct");
    var marks = on ? row.dataset.punctEn : row.dataset.punctZh;
    Array.prototype.forEach.call(row.querySelectorAll("[data-ime-key]"), function (b, i) {
      b.dataset.imeKey = marks[i];
      b.textContent = marks[i];
    });
    setUpper(on && state.upper);
  }

  function setUpper(on) {
    state.upper = on;
    var shift = part("[data-ime=shift]");
    if (shift) shift.setAttribute("aria-pressed", String(on));
    Array.prototype.forEach.call(keyboard().querySelectorAll(".ime-letter"), function (b) {
      b.textContent = on ? b.dataset.imeKey.toUpperCase() : b.dataset.imeKey;
    });
  }

  function key(value) {
    if (/^[a-z]$/.test(value) && !state.english) {
      if (state.typed.length >= LONGEST) return;
      performance.mark("ime-key");
      state.typed += value;
      lookUp();
      return;
    }
    settle();
    if (/^[a-z]$/.test(value) && state.english && state.upper) value = value.toUpperCase();
    insert(value);
  }

  function action(name) {
    if (name === "backspace") {
      if (state.typed) { performance.mark("ime-key"); state.typed = state.typed.slice(0, -1); lookUp(); }
      else erase();
    } else if (name === "space") {
      if (state.typed) settle(); else insert(" ");
    } else if (name === "enter") {
      if (state.typed) { insert(state.typed); state.typed = ""; lookUp(); }
      else if (state.field && state.field.tagName === "TEXTAREA") insert("\n");
      else next();
    } else if (name === "mode") {
      settle();
      setEnglish(!state.english);
    } else if (name === "shift") {
      setUpper(!state.upper);
    } else if (name === "hide") {
      hide();
      if (state.field) state.field.blur();
    } else if (name === "more" || name === "back") {
      var bar = part(".ime-candidates");
      bar.scrollBy({ left: (name === "more" ? 1 : -1) * bar.clientWidth * 0.8, behavior: "smooth" });
    }
  }

  /* 下一项: the next field of the form, as Tab would. */
  function next() {
    var form = state.field && state.field.form;
    if (!form) return;
    var fields = Array.prototype.filter.call(form.querySelectorAll(FIELDS), serves);
    var after = fields[fields.indexOf(state.field) + 1];
    if (after) after.focus();
  }

  /* The field's box with what describes it below (counter, error) and, when all fits in room, its label above. */
  function fieldBox(field, room) {
    var box = field.getBoundingClientRect();
    var bottom = box.bottom;
    (field.getAttribute("aria-describedby") || "").split(/\s+/).forEach(function (id) {
      var note = id && document.getElementById(id);
      if (note && note.getClientRects().length) bottom = Math.max(bottom, note.getBoundingClientRect().bottom);
    });
    var label = field.labels && field.labels[0] ? field.labels[0].getBoundingClientRect().top : box.top;
    var withLabel = Math.min(label, box.top);
    var top = bottom - withLabel <= room ? withLabel : box.top;
    return { top: top, bottom: bottom, height: bottom - top };
  }

  /* How far down the page's top is covered: by the header where it sticks (large screens), and a margin. */
  function coveredTop() {
    var header = document.querySelector(".topbar");
    return (header && getComputedStyle(header).position === "sticky" ? header.getBoundingClientRect().bottom : 0) + 8;
  }

  /* Open the keyboard under the page and keep the field in sight above it. */
  function show(field) {
    var k = keyboard();
    if (state.field !== field) { state.typed = ""; state.words = []; }
    state.field = field;
    setEnglish(field.type === "tel" || field.dataset.ime === "latin");  /* latin: ids, addresses, tokens */
    k.hidden = false;
    document.body.classList.add("ime-open");
    document.documentElement.style.setProperty("--ime-height", k.offsetHeight + "px");
    part("[data-ime=enter]").textContent = field.tagName === "TEXTAREA" ? "换行" : "下一项";
    render();
    var room = window.innerHeight - k.offsetHeight - 16;
    var clear = coveredTop();
    var box = fieldBox(field, room - clear);
    if (box.bottom > room || box.top < clear) {
      window.scrollBy({ top: box.top - Math.max(clear, (room - box.height) / 2), behavior: "instant" });
    }
  }

  function hide() {
    var k = keyboard();
    state.typed = "";
    state.words = [];
    if (k) k.hidden = true;
    document.body.classList.remove("ime-open");
  }

  document.addEventListener("focusin", function (e) {
    if (document.body.dataset.kioskScreen === "true" && serves(e.target)) show(e.target);
  });
  function hideUnlessTyping() {
    if (!serves(document.activeElement) && !(keyboard() && keyboard().contains(document.activeElement))) hide();
  }
  /* Put away only once a press is over: the page shrinks as the keyboard goes, and a mouse button released
     over whatever moved under it clicks nothing (提交 pressed with the keyboard open did not submit). */
  var pressing = false;
  var hideAfterPress = false;
  document.addEventListener("mousedown", function () { pressing = true; }, true);
  document.addEventListener("mouseup", function () {
    pressing = false;
    if (hideAfterPress) { hideAfterPress = false; setTimeout(hideUnlessTyping, 0); }
  }, true);
  document.addEventListener("focusout", function () {
    if (pressing) hideAfterPress = true;
    else setTimeout(hideUnlessTyping, 0);
  });
  /* A tap on the keyboard must not take the caret out of the field. */
  ["pointerdown", "mousedown"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      if (e.target.closest && e.target.closest("#ime")) e.preventDefault();
    });
  });
  document.addEventListener("click", function (e) {
    if (!e.target.closest || !e.target.closest("#ime")) return;
    var cand = e.target.closest(".ime-cand");
    if (cand) { choose(cand.textContent, parseInt(cand.dataset.consumes, 10)); return; }
    var k = e.target.closest("[data-ime-key]");
    if (k) { key(k.dataset.imeKey); return; }
    var a = e.target.closest("[data-ime]");
    if (a) action(a.dataset.ime);
  });
  /* A field that took the caret before this script ran (autofocus on a refused form) gets the keyboard too. */
  if (document.body.dataset.kioskScreen === "true" && serves(document.activeElement)) show(document.activeElement);
  /* A page change (boosted link, htmx swap) brings a fresh keyboard; nothing typed carries over. */
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.target === document.body || (state.field && e.detail.target.contains(state.field))) hide();
  });
})();
