// Form-field abandonment, part of signals.js: a text field focused and typed in, then the page
// left (pagehide) without the field's form being submitted. Sent as a click event with
// `signal: "abandoned"`, naming the field (its descriptor, and its label, placeholder or ARIA
// label as `text`), never its value. A field outside any <form> has no submit to wait for: it
// counts as abandoned whenever the page is left after typing in it; an SPA route change does not
// count as leaving.
import { cut, D, on } from "./env.js";
import { describe } from "./clicks.js";

const NOT_TYPED = /^(checkbox|radio|range|color|file|submit|button|reset|image|hidden)$/;

export function startForms(core) {
  const typed = new Set();
  on(
    "input",
    (e) => {
      const f = e.target;
      if (f.localName == "textarea" || (f.localName == "input" && !NOT_TYPED.test(f.type))) typed.add(f);
    },
    D,
    1,
  );
  on("submit", (e) => typed.forEach((f) => f.form == e.target && typed.delete(f)), D, 1);
  // Capture, on window: before the core's own pagehide listener sends the queue away.
  on(
    "pagehide",
    () => {
      typed.forEach((f) =>
        core.emit_("click", {
          role: "textbox",
          target: describe(f),
          text: cut((f.labels?.[0]?.textContent || f.placeholder || f.ariaLabel || "").trim().replace(/\s+/g, " "), 100),
          signal: "abandoned",
        }),
      );
      typed.clear();
    },
    window,
    1,
  );
}
