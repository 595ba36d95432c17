// Clicks on links and buttons, the raw material for rage clicks (several on one element within a
// second) and dead clicks (a click after which nothing changes), which the collector's analysis
// derives later from `target`, `ts` and what followed on the page.
//
// A click event names the element, never what was typed: `role` (its ARIA role, else link or
// button), `target` (a short descriptor that stays the same across clicks: tag, then #id or the
// first class), `text` (its visible text, whitespace collapsed, cut short) and `href` (links
// only). Form fields are not listened to, and no element's value is read. Clicks are batched
// with the other events (sent within a second, or beaconed as the page is hidden).
import { cut, D, on } from "./env.js";
import { emit } from "./events.js";

const CLICKABLE = "a,button,[role=button],[role=link]";

export function startClicks() {
  // Capture: a page that stops the click's propagation does not hide it.
  on(
    D,
    "click",
    (e) => {
      const el = e.target.closest?.(CLICKABLE);
      if (!el) return;
      const tag = el.localName;
      emit("click", {
        role: cut(el.getAttribute("role") || (tag == "a" ? "link" : "button"), 32),
        target: cut(tag + (el.id ? "#" + el.id : el.classList[0] ? "." + el.classList[0] : ""), 200),
        text: cut(el.textContent.trim().replace(/\s+/g, " "), 100) || null,
        href: el.tagName == "A" ? cut(el.href, 2048) || null : null, // SVG's <a>: no string href
      });
    },
    1,
  );
}
