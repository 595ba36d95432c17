// The behaviour detector (signals.js), loaded by the core at start-up like the widget (lazily,
// so the core stays small). It registers window.cxlisten._s(core), which the core calls with the
// object it hands to the widget: clicks (clicks.js: click events, dead clicks, rage and dead
// clicks for `frustration` triggers) and abandoned form fields (forms.js). `_s.on` is set once
// its listeners are in place (what tests wait for before clicking).
import { startClicks } from "./clicks.js";
import { startForms } from "./forms.js";

const start = (core) => {
  startClicks(core);
  startForms(core);
  start.on = 1;
};
const cx = window.cxlisten;
if (cx) cx._s = start;
