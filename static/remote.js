/* The presenter's phone: numbered commands to the big screen, and the screen's true state every second. */
(function () {
  "use strict";
  var root = document.getElementById("remote");
  if (!root) return;
  var seq = Number(root.dataset.lastSeq) || 0;
  var pending = [];
  var sending = false;
  var state = null;

  function clock(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function show(next) {
    state = next;
    if (next.playlist.join(",") !== root.dataset.playlist) { window.location.reload(); return; }
    document.getElementById("remote-lost").hidden = true;
    document.getElementById("remote-where").textContent = "第 " + (next.index + 1) + " / " + next.playlist.length + " 项";
    document.getElementById("timer-winner").textContent = clock(next.winner_seconds);
    document.getElementById("timer-talk").textContent = clock(next.talk_seconds);
    document.getElementById("remote-control").textContent = next.in_control ? "您正在控制大屏幕" : "现在由" + (next.controller || "另一台手机") + "控制";
    root.classList.toggle("is-watching", !next.in_control);
    Array.prototype.forEach.call(root.querySelectorAll(".remote-winner"), function (w) { w.hidden = Number(w.dataset.index) !== next.index; });
    [["blackout", next.blackout], ["freeze", next.frozen], ["captions", next.captions]].forEach(function (pair) {
      var b = root.querySelector('[data-cmd="' + pair[0] + '"]');
      if (b) b.setAttribute("aria-pressed", String(pair[1]));
    });
    var box = document.getElementById("remote-handover");
    box.textContent = "";
    if (next.in_control) {
      next.phones.filter(function (n) { return n !== next.me; }).forEach(function (name) {
        var b = document.createElement("button");
        b.type = "button"; b.className = "btn btn-ghost"; b.dataset.handover = name;
        b.textContent = "交给" + name + "控制";
        box.appendChild(b);
      });
    }
  }

  function post(url, fields) {
    return fetch(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": root.dataset.csrf },
      body: new URLSearchParams(fields) }).then(function (r) { return r.json(); });
  }

  /* Commands go out one at a time, in order; one that fails for the network is sent again with the same
     number, so the screen applies it once however many times it arrives. */
  function pump() {
    if (sending || !pending.length) return;
    sending = true;
    var cmd = pending[0];
    post(root.dataset.commandUrl, cmd).then(function (answer) {
      pending.shift();
      if (answer.error) document.getElementById("remote-control").textContent = answer.error;
      else show(answer);
    }).catch(function () {
      document.getElementById("remote-lost").hidden = false;
      return new Promise(function (resolve) { setTimeout(resolve, 500); });
    }).then(function () { sending = false; pump(); });
  }

  function send(action, value) {
    seq += 1;
    var fields = { seq: seq, action: action };
    if (value !== undefined) fields.value = JSON.stringify(value);
    pending.push(fields);
    pump();
  }

  function mediaValue(box, extra) {
    var v = { kind: box.dataset.kind, n: Number(box.dataset.n) };
    for (var k in extra) v[k] = extra[k];
    return v;
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-cmd]");
    if (b) {
      var cmd = b.dataset.cmd;
      var value = b.dataset.value === undefined ? undefined : Number(b.dataset.value);
      send(cmd, value);
      return;
    }
    var m = e.target.closest("[data-media]");
    if (m) { send(m.dataset.media, mediaValue(m.closest(".remote-media"))); return; }
    var move = e.target.closest("[data-move]");
    if (move) {
      var item = move.closest("li");
      var other = move.dataset.move === "up" ? item.previousElementSibling : item.nextElementSibling;
      if (other) item.parentNode.insertBefore(item, move.dataset.move === "up" ? other : other.nextSibling);
      return;
    }
    if (e.target.closest("#playlist-save")) {
      var fields = new URLSearchParams();
      Array.prototype.forEach.call(document.querySelectorAll("#playlist-editor li"), function (li) {
        if (li.querySelector("input").checked) fields.append("id", li.dataset.id);
      });
      fetch(root.dataset.playlistUrl, { method: "POST", credentials: "same-origin",
        headers: { "X-CSRF-Token": root.dataset.csrf }, body: fields })
        .then(function (r) { return r.json(); })
        .then(function (answer) {
          if (answer.error) document.getElementById("remote-control").textContent = answer.error;
          else window.location.reload();
        }).catch(function () { document.getElementById("remote-lost").hidden = false; });
      return;
    }
    var h = e.target.closest("[data-handover]");
    if (h) post(root.dataset.handoverUrl, { to: h.dataset.handover }).then(show).catch(function () {});
  });
  document.addEventListener("change", function (e) {
    if (!e.target.classList.contains("remote-seek")) return;
    send("seek", mediaValue(e.target.closest(".remote-media"), { at: Number(e.target.value) }));
  });

  /* The screen's true state, every second: after a Wi-Fi drop the phone shows what the audience sees. */
  function poll() {
    fetch(root.dataset.stateUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 403) { window.location.reload(); throw new Error("unpaired"); }
        return r.json();
      })
      .then(function (next) { if (!pending.length) show(next); })
      .catch(function () { document.getElementById("remote-lost").hidden = false; })
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
