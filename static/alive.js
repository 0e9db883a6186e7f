/* The kiosk screen's heartbeat: a page whose main thread hangs stops beating and its browser is restarted. */
(function () {
  "use strict";
  if (document.body.dataset.kioskScreen === "false") return;  // phones do not beat
  function beat() {
    fetch("/screen/alive", { credentials: "same-origin", cache: "no-store" }).catch(function () {});
  }
  beat();
  setInterval(beat, 5000);
})();
