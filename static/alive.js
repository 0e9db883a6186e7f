/* The kiosk screen's heartbeat: a page whose main thread hangs stops beating and its browser is restarted.
   The answer says whether the kiosk is open (opening hours): the attract loop goes black when it closes and
   comes back when it opens; a visitor's page is left alone (the idle reset ends on the black screen). While
   open, the screen is kept awake (Screen Wake Lock). */
(function () {
  "use strict";
  if (document.body.dataset.kioskScreen === "false") return;  // phones do not beat
  var closedPage = !!document.getElementById("screen-closed");
  var lock = null;
  function keepAwake() {
    if (closedPage || lock || !navigator.wakeLock || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").then(function (l) {
      lock = l;
      document.body.dataset.wakeLock = "held";
      l.addEventListener("release", function () { lock = null; delete document.body.dataset.wakeLock; });
    }).catch(function () {});
  }
  function follow(state) {
    var attract = !!document.getElementById("attract");
    if ((attract && state.open === false) || (closedPage && state.open === true)) {
      window.location.replace(document.body.dataset.attractUrl || "/attract");
    }
  }
  function beat() {
    var size = "?w=" + window.innerWidth + "&h=" + window.innerHeight;
    fetch("/screen/alive" + size, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : {}; }).then(follow).catch(function () {});
  }
  document.addEventListener("visibilitychange", keepAwake);
  keepAwake();
  beat();
  setInterval(beat, 5000);
})();
