// The lobby display: follows /api/v1/calls (server-sent events), shows the latest call large
// and the last few beneath, and announces each new call once: the chime, then the voice, one
// call after another, never cutting one off. After a network cut or a server restart it
// reconnects from the last call it saw, so no call is missed or repeated. `window.displayLog`
// records what it received and announced, and how each sound ended ("ended", or "error" for
// one the browser could not play), for tests and a technician's console. The sounds are MP3.
"use strict";
(function () {
  const root = document.querySelector("main.display");
  const mpp = root.dataset.mpp;
  const zone = root.dataset.zone || "";
  const offsetMinutes = Number(root.dataset.offsetMinutes || "0");
  const recentCount = 6;
  const log = [];
  window.displayLog = log;
  let last = null;
  let source = null;
  const waiting = [];
  let speaking = false;

  function streamUrl() {
    let url = "/api/v1/calls?mpp=" + encodeURIComponent(mpp);
    if (zone) url += "&zone=" + encodeURIComponent(zone);
    if (last !== null) url += "&after=" + last;
    return url;
  }

  function connect() {
    source = new EventSource(streamUrl());
    source.addEventListener("history", function (event) { receive(event, false); });
    source.addEventListener("call", function (event) { receive(event, true); });
    source.onopen = function () { online(true); };
    source.onerror = function () {
      online(false);
      source.close();
      setTimeout(connect, 2000);
    };
  }

  function receive(event, announce) {
    const call = JSON.parse(event.data);
    if (last !== null && call.id <= last) return;
    last = call.id;
    log.push({ id: call.id, number: call.number, point: call.point, kind: call.kind,
               history: !announce, announced: false, phrase: call.phrase });
    show(call);
    if (announce) {
      waiting.push(call);
      announceAll();
    }
  }

  function show(call) {
    document.getElementById("number").textContent = call.number;
    document.getElementById("point").textContent = call.point;
    const list = document.getElementById("recent");
    const item = document.createElement("li");
    item.dataset.id = String(call.id);
    const number = document.createElement("span");
    number.className = "recent-number";
    number.textContent = call.number;
    const point = document.createElement("span");
    point.className = "recent-point";
    point.textContent = call.point;
    item.append(number, point);
    list.prepend(item);
    while (list.children.length > recentCount) list.lastElementChild.remove();
    root.classList.remove("fresh");
    void root.offsetWidth;
    root.classList.add("fresh");
  }

  async function announceAll() {
    if (speaking) return;
    speaking = true;
    while (waiting.length > 0) {
      const call = waiting.shift();
      const entry = log.find(function (item) { return item.id === call.id; });
      const chime = await play("/assets/chime.mp3");
      const voice = await play(call.audio);
      if (entry) {
        entry.played = [chime, voice];
        entry.announced = true;
      }
    }
    speaking = false;
  }

  // Resolves when the sound has played to its end ("ended") or cannot be played ("error"),
  // so the next sound never cuts it off.
  function play(src) {
    return new Promise(function (resolve) {
      const audio = new Audio(src);
      audio.onended = function () { resolve("ended"); };
      audio.onerror = function () { resolve("error"); };
      audio.play().catch(function (error) {
        if (error && error.name === "NotAllowedError") askForSound(audio, resolve);
        else resolve("error");
      });
    });
  }

  // A browser that blocks sound until someone touches the page (a TV without the kiosk flag).
  function askForSound(audio, resolve) {
    const button = document.getElementById("sound");
    button.hidden = false;
    button.onclick = function () {
      button.hidden = true;
      audio.play().catch(function () { resolve("error"); });
    };
  }

  function online(yes) {
    root.dataset.online = yes ? "yes" : "no";
    document.getElementById("status").hidden = yes;
    root.classList.toggle("offline", !yes);
  }

  function tick() {
    const now = new Date(Date.now() + offsetMinutes * 60000);
    const pad = function (n) { return String(n).padStart(2, "0"); };
    document.getElementById("clock").textContent =
      pad(now.getUTCHours()) + ":" + pad(now.getUTCMinutes());
  }

  tick();
  setInterval(tick, 1000);
  connect();
})();
