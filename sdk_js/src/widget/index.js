// The widget (widget.js), loaded by the core only when a survey or a panel is to be shown. It
// registers one function, window.cxlisten._w(core, item, why), that the core calls with what to
// show: a survey (it has questions), an intervention or a next best action (a panel, floating or
// in the page's slot for it), {show: surveyId} from cxlisten.show(), or {show: [name, ...args]}:
// a public call the core forwards (identify, reset).
import { safe } from "../env.js";
import { session } from "../identity.js";
import { call } from "./identify.js";
import { panel, slotFor } from "./panel.js";
import { survey } from "./survey.js";

export function show(core, item, why) {
  if (Array.isArray(item.show)) return call(core, ...item.show);
  // A page still loading may not have parsed its slot yet.
  if (document.readyState == "loading") return document.addEventListener("DOMContentLoaded", safe(() => show(core, item, why)));
  try {
    if (why == "action") {
      // The collector may offer the same next best action on every page: show it once a session
      // as a panel, but every time in a slot of the page (data-cxlisten-slot: part of the page).
      const seen = session().d.includes(item.id);
      if (seen && !slotFor(item)) return core.log_(item.id, "shown already");
      if (!seen) session((s) => s.d.push(item.id));
    }
    const config = core.current_();
    const accent = config.site?.accent;
    const options = {
      locale: document.querySelector('script[src*="sdk.js"][data-site]')?.getAttribute("data-locale"),
      accent: /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(accent || "") ? accent : null,
      focus: !!item.show, // a survey opened on purpose takes focus; one that pops up does not
      present: (action) => show(core, action, "action"),
    };
    if (item.show) {
      const find = (reply) => reply.surveys?.find((s) => s.id == item.show);
      const found = find(config);
      if (found) return survey(core, found, options);
      return core.getConfig_({ survey: item.show }).then(
        (reply) => (find(reply) ? survey(core, find(reply), options) : core.log_("show: no survey", item.show, "applies here")),
        core.log_,
      );
    }
    if (item.questions) survey(core, item, options);
    else panel(core, item, options);
  } catch (e) {
    core.log_("widget error", e);
  }
}

const cx = window.cxlisten;
if (cx) cx._w = show;
