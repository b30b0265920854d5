// The counter console's keys: N, R, S, X press the matching button (never while typing in a
// field, never with Ctrl/Alt/Meta). A button pressed once is disabled until the page answers,
// so a held key or a double click is one move (the server also treats it so).
"use strict";
(function () {
  const buttons = {};
  document.querySelectorAll("button[data-key]").forEach(function (button) {
    buttons[button.dataset.key.toLowerCase()] = button;
    button.form.addEventListener("submit", function () {
      document.querySelectorAll("button.move").forEach(function (other) {
        other.disabled = true;
      });
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
    const target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) return;
    const button = buttons[(event.key || "").toLowerCase()];
    if (button && !button.disabled) {
      event.preventDefault();
      button.form.requestSubmit(button);
    }
  });
  // The keys work from here on: a test (or a watching tool) waits for this before pressing.
  document.documentElement.dataset.keys = "ready";
})();
