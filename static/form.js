/* The suggestion form: a live character counter per text field, and the first field in error brought into view. */
(function () {
  "use strict";

  /* Count as the server does (kiosk/suggestions/rules.py clean_text): NFC, unix line breaks, trimmed, code points. */
  function length(value) {
    var text = value.replace(/\r\n?/g, "\n").trim();
    if (text.normalize) text = text.normalize("NFC");
    return Array.from(text).length;
  }

  function update(counter, field) {
    var limit = parseInt(counter.dataset.limit, 10);
    var n = length(field.value);
    var note = "";
    var state = "";
    if (n > limit) { state = "is-over"; note = "超出 " + (n - limit) + " 字，请删减"; }
    else if (n === limit) { state = "is-full"; note = "已写满 " + limit + " 字"; }
    else if (n >= limit * 0.9) { state = "is-near"; note = "还能写 " + (limit - n) + " 字"; }
    counter.classList.remove("is-over", "is-full", "is-near");
    if (state) counter.classList.add(state);
    counter.querySelector(".counter-num").textContent = n + " / " + limit;
    var noteBox = counter.querySelector(".counter-note");
    if (noteBox.textContent !== note) noteBox.textContent = note;
  }

  document.addEventListener("input", function (e) {
    var field = e.target;
    if (!field.id) return;
    var counter = document.querySelector('[data-counter="' + field.id + '"]');
    if (counter) update(counter, field);
  });

  /* After a refused submission the visitor lands on the first field in error, with its message, in the middle of
     the screen; focus comes last, so the kiosk's keyboard opening then keeps both above it. */
  function focusFirstError(form) {
    var field = form && form.querySelector("[aria-invalid=true]");
    if (!field) return;
    (field.closest(".form-field") || field).scrollIntoView({ block: "center" });
    // htmx may have focused it already (autofocus) before this scroll: focus it anew so the keyboard places it.
    if (document.activeElement === field) field.blur();
    field.focus({ preventScroll: true });
  }

  document.addEventListener("htmx:afterSettle", function (e) {
    // The settled element may be the form, a part of it, or a whole page around it (a boosted answer).
    var form = document.getElementById("suggest-form");
    if (form && (e.target === document.body || e.target.contains(form) || form.contains(e.target))) {
      focusFirstError(form);
    }
  });
  focusFirstError(document.getElementById("suggest-form"));
})();
