/* Staff pages: the on-screen PIN pad types into the PIN field; without script the field alone works. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-pin-pad]"), function (pad) {
    pad.hidden = false;
  });
  document.addEventListener("click", function (e) {
    var key = e.target.closest("[data-pin-key]");
    if (!key) return;
    var input = key.form && key.form.elements.pin;
    if (!input) return;
    var value = key.dataset.pinKey;
    if (value === "clear") input.value = "";
    else if (value === "back") input.value = input.value.slice(0, -1);
    else if (input.value.length < (input.maxLength > 0 ? input.maxLength : 12)) input.value += value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  /* The report's 打印 button: the browser's own print dialog (print to PDF included). */
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) window.print();
  });
  /* The file staff chose, named beside the button (the browser's own input is hidden). */
  document.addEventListener("change", function (e) {
    var form = e.target.closest && e.target.closest("[data-upload-form]");
    if (!form || !e.target.files) return;
    var shown = form.querySelector("[data-upload-name]");
    if (shown && e.target.files.length) shown.textContent = "已选择：" + e.target.files[0].name;
  });
  /* An upload's own bar while the file travels; the import's bar takes over when the answer arrives. */
  document.addEventListener("htmx:xhr:progress", function (e) {
    var form = e.target.closest && e.target.closest("[data-upload-form]");
    if (!form || !e.detail.lengthComputable) return;
    form.querySelector(".pack-upload-sending").hidden = false;
    form.querySelector("#upload-bar").value = Math.round((e.detail.loaded / e.detail.total) * 100);
  });
})();
