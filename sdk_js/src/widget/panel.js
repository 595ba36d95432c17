// The intervention panel ("Need more help?"): a title, a short body and a link or button. It is
// non-modal (no focus is taken; a polite live region announces it) and dismissible; shown,
// clicked and dismissed are reported as intervention events. A next best action from the
// collector is shown the same way, reported under the action's id.
import { h, id, remove, root } from "./dom.js";
import { pickLocale, strings, text } from "./i18n.js";

const open = {};

/** The URL of a link, if it is http(s) (never javascript: or data:). */
function safeUrl(url) {
  try {
    const u = new URL(url, location.href);
    return /^https?:$/.test(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

export function panel(core, item, options) {
  const key = item.id;
  if (!key || open[key]) return core.log_("panel", key, "not shown: already open");
  const c = item.content || item;
  const locale = pickLocale(item, options.locale);
  const s = strings(locale);
  const tx = (map) => text(map, locale, item.default_locale);
  const event = (action) => core.emit_("intervention", { intervention: key, action }, action != "shown");
  const title = id("title");
  const href = c.url && safeUrl(c.url);
  const label = tx(c.label) || null;
  let done = false;
  const close = (action) => {
    if (done) return;
    done = true;
    delete open[key];
    event(action);
    remove(card);
  };
  const act = href
    ? h("a", { class: "button primary", href, onclick: () => close("clicked") }, label || href)
    : label && h("button", { type: "button", class: "primary", onclick: () => close("clicked") }, label);
  const card = h(
    "section",
    { class: "card panel", role: "region", "aria-labelledby": title, "aria-live": "polite", lang: locale, onkeydown: (e) => e.key == "Escape" && close("dismissed") },
    h("div", { class: "head" }, h("h2", { id: title }, tx(c.title)), h("button", { type: "button", class: "x", "aria-label": s.close, onclick: () => close("dismissed") }, "×")),
    c.body ? h("p", null, tx(c.body)) : null,
    act ? h("div", { class: "foot" }, act) : null,
  );
  open[key] = 1;
  root(item.placement, options.accent).append(card);
  event("shown");
}
