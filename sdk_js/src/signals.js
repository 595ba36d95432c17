// The behaviour detector (signals.js), loaded by the core at start-up like the widget (lazily,
// so the core stays small). It registers window.cxlisten._s(core), which the core calls with the
// object it hands to the widget: clicks (clicks.js: click events, dead clicks, rage and dead
// clicks for `frustration` triggers) and abandoned form fields (forms.js). `_s.on` is set once
// its listeners are in place (what tests wait for before clicking).
//
// Input: whether a person's pointer, key, touch or wheel ever moved in this tab's visit
// (sessionStorage, so it holds across the visit's pages). Dwell events carry it as `input` (0
// or 1) through cxlisten._i; a crawler that runs the page walks it without any, and the
// collector flags a long visit with none as a bot (cxlisten.bots.no_input). (A bot could send
// `input: 1` itself: this catches the crawlers that run pages as they are, not the disguised.)
import { startClicks } from "./clicks.js";
import { D, on, safe } from "./env.js";
import { startForms } from "./forms.js";

const cx = window.cxlisten;
const seen = {};
const start = (core) => {
  startClicks(core);
  startForms(core);
  // Storage refused (it throws): no `input` at all, as there is nothing to say across pages.
  safe(() => {
    seen.input = sessionStorage.cxl_i | 0;
    // Mouse, touch (a tap is a pointerdown) and keyboard; a wheel turned without them is rare.
    for (const type of ["keydown", "pointerdown", "pointermove"]) on(type, () => (seen.input = sessionStorage.cxl_i = 1), D, 1);
  })();
  start.on = 1;
};
if (cx) (cx._s = start), (cx._i = seen);
