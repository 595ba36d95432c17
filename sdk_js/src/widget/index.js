// The widget (widget.js), loaded by the core only when a survey or a panel is to be shown. It
// registers one function, window.cxlisten._w(core, item), that the core calls with what to show:
// a survey (it has questions), an intervention or a next best action (a panel), or
// {show: surveyId} from cxlisten.show().
import { panel } from "./panel.js";
import { survey } from "./survey.js";

function show(core, item) {
  try {
    const config = core.current_();
    const accent = config.site?.accent;
    const options = {
      locale: document.querySelector('script[src*="sdk.js"][data-site]')?.getAttribute("data-locale"),
      accent: /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(accent || "") ? accent : null,
      focus: !!item.show, // a survey opened on purpose takes focus; one that pops up does not
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
