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
    "click",
    (e) => {
      const el = e.target.closest(CLICKABLE); // (a click dispatched on the document throws: safe())
      if (!el) return;
      const tag = el.localName;
      const [first] = el.classList;
      emit("click", {
        role: cut(el.role || (tag == "a" ? "link" : "button"), 32),
        target: cut(tag + (el.id ? "#" + el.id : first ? "." + first : ""), 200),
        text: cut(el.textContent.trim().replace(/\s+/g, " "), 100),
        href: el.tagName == "A" ? cut(el.href) : undefined, // SVG's <a>: no string href
      });
    },
    D,
    1,
  );
}
