// The preview frame's driver. The frame holds the draft as JSON (#cx-preview-survey); the real
// widget.js, loaded after this file, registers window.cxlisten._w. We call it with a core of our
// own: blocked_ names a reason, so the widget sends no response, and emit_ drops every event, so
// nothing of the preview is stored. Answering still walks the branching, as for a visitor.
window.cxlisten = window.cxlisten || {};

const core = {
  emit_() {},
  log_: (...args) => console.debug("[cxlisten preview]", ...args),
  blocked_: () => "preview: nothing is stored",
  getConfig_: () => Promise.resolve({ surveys: [], interventions: [] }),
  current_: () => ({}),
};

document.addEventListener("DOMContentLoaded", () => {
  const survey = JSON.parse(document.getElementById("cx-preview-survey").textContent);
  window.cxlisten._w(core, survey, "preview");
});
