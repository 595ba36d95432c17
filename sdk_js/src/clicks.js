// Clicks on links and buttons, part of signals.js (loaded lazily by the core right at start-up,
// so the core stays small; clicks made before it has loaded are not seen).
//
// A click event names the element, never what was typed: `role` (its ARIA role, else link or
// button), `target` (a short descriptor that stays the same across clicks: tag, then #id or the
// first class), `text` (its visible text, whitespace collapsed, cut short) and `href` (links
// only). No element's value is read. Clicks are batched with the other events (sent within a
// second, or beaconed as the page is hidden).
//
// From the clicks the collector derives rage clicks (3 on one element within a second, from
// `target` and `ts`). Two things only the page can tell are detected here:
//
//   dead click   a click after which, for a second, nothing changed: no mutation of the page
//                (MutationObserver), the same URL, the page still shown, and no navigation
//                under way (a link to another document whose default was not prevented is
//                navigating). Sent as a second click event with `signal: "dead"`.
//   rage click   seen here too, only to fire `frustration` triggers (signal "rage" or "dead").
import { cut, D, on, safe } from "./env.js";

const CLICKABLE = "a,button,[role=button],[role=link]";
const SECOND = 1e3;

/** The short descriptor of element EL: tag, then #id, else its first class, else [name=...]. */
export function describe(el) {
  const [first] = el.classList;
  const name = el.getAttribute("name");
  return cut(el.localName + (el.id ? "#" + el.id : first ? "." + first : name ? `[name="${name}"]` : ""), 200);
}

export function startClicks(core) {
  let run = []; // times of the latest clicks on `last`
  let last;
  // Capture: a page that stops the click's propagation does not hide it.
  on(
    "click",
    (e) => {
      const el = e.target.closest?.(CLICKABLE);
      if (!el) return;
      const tag = el.localName;
      const fields = {
        role: cut(el.role || (tag == "a" ? "link" : "button"), 32),
        target: describe(el),
        text: cut(el.textContent.trim().replace(/\s+/g, " "), 100),
        href: el.tagName == "A" ? cut(el.href) : undefined, // SVG's <a>: no string href
      };
      core.emit_("click", fields);
      const t = e.timeStamp;
      run = last == el ? run.filter((x) => t - x <= SECOND).concat(t) : [t];
      last = el;
      if (run.length == 3) core.take_("frustration", (x) => x.signal == "rage", "rage click");

      const url = location.href;
      const away = el.href && el.href.split("#")[0] != url.split("#")[0] && !el.target; // navigating
      let changed;
      const watch = new MutationObserver(() => (changed = 1));
      watch.observe(D.documentElement, { subtree: 1, childList: 1, attributes: 1, characterData: 1 });
      setTimeout(
        safe(() => {
          watch.disconnect();
          if (changed || D.hidden || location.href != url || (away && !e.defaultPrevented)) return;
          core.emit_("click", { ...fields, signal: "dead" });
          core.take_("frustration", (x) => x.signal == "dead", "dead click");
        }),
        SECOND,
      );
    },
    D,
    1,
  );
}
