// The intervention panel ("Need more help?"): a title, a short body and a link or button. It is
// non-modal (no focus is taken; a polite live region announces it) and dismissible; shown,
// clicked and dismissed are reported as intervention events. A next best action from the
// collector is shown the same way, reported under the action's id.
//
// Inline: when the page holds an element marked data-cxlisten-slot="NAME" for the item (see
// slotFor), the same card replaces that element's content instead of floating — part of the
// page, so without a close button or a live region; shown and clicked are reported as above.
import { h, id, remove, root, whenSeen } from "./dom.js";
import { pickLocale, strings, text } from "./i18n.js";

const open = {};

/** The URL of a link, if it is http(s) (never javascript: or data:). A path stays on this page's
 * origin: browsers read a backslash as "/", so a path like "/" + "\\evil.example" would leave it. */
function safeUrl(url) {
  try {
    if (/[\\\s]/.test(url)) return null;
    const u = new URL(url, location.href);
    if (url[0] == "/" && u.origin != location.origin) return null;
    return /^https?:$/.test(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

/** The page's slot for ITEM: data-cxlisten-slot="NAME" where the item's placement is "slot:NAME",
 * its id is NAME, or it is a next best action chosen by the rule named NAME. */
export function slotFor(item) {
  for (const el of document.querySelectorAll("[data-cxlisten-slot]")) {
    const name = el.getAttribute("data-cxlisten-slot");
    if (name && (item.placement == "slot:" + name || name == item.id || name == item.rule)) return el;
  }
}

export function panel(core, item, options) {
  const key = item.id;
  const slot = slotFor(item);
  if (!key || (open[key] && !slot)) return core.log_("panel", key, "not shown: already open");
  if (slot?.firstChild?.cx == key) return core.log_("panel", key, "already in its slot");
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
    event(action);
    if (slot) return; // inline content stays: it is the page's now
    delete open[key];
    remove(card);
  };
  const act = href
    ? h("a", { class: "button primary", href, onclick: () => close("clicked") }, label || href)
    : label && h("button", { type: "button", class: "primary", onclick: () => close("clicked") }, label);
  const card = h(
    "section",
    slot
      ? { class: "card panel", role: "region", "aria-labelledby": title, lang: locale }
      : { class: "card panel", role: "region", "aria-labelledby": title, "aria-live": "polite", lang: locale, onkeydown: (e) => e.key == "Escape" && close("dismissed") },
    h("div", { class: "head" }, h("h2", { id: title }, tx(c.title)), slot ? null : h("button", { type: "button", class: "x", "aria-label": s.close, onclick: () => close("dismissed") }, "×")),
    c.body ? h("p", null, tx(c.body)) : null,
    act ? h("div", { class: "foot" }, act) : null,
  );
  if (slot) {
    root(0, options.accent, slot).append(card);
    slot.firstChild.cx = key; // a second offer of the same action (an SPA route) keeps this one
    core.log_("panel", key, "in slot", slot.getAttribute("data-cxlisten-slot"));
  } else {
    open[key] = 1;
    root(item.placement, options.accent).append(card);
  }
  whenSeen(card, () => event("shown"), (why) => core.log_("panel", key, why));
}
