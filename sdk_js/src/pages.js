// Page views (single-page apps included) and engagement: dwell that counts only time the page
// is visible and focused, summed across hide/show, and the deepest scroll reached.
//
// A dwell event carries the increments since the previous dwell event of the same page view.
// It is sent when the page is hidden, on pagehide (never unload, which would keep the page out
// of the back/forward cache) and before an SPA route change.
//
// index.js passes in what else must happen as a page view begins and once it is recorded (the
// triggers' reset and refresh), so this module does not import the triggers.
import { cut, D, now, on, safe, uuid } from "./env.js";
import { emit, href } from "./events.js";
import { beacon } from "./transport.js";

let onBegin; // called as a page view begins
let onView; // called once its pageview event is queued

let pv; // id of the current page view (its pageview event's id)
let path;
let url;
let referrer;
let visible = 0; // visible and focused ms since the last dwell event
let pvVisible = 0; // visible and focused ms of the whole page view
let since; // when the page last became visible and focused, or 0
let lastDwell;
let scroll;
let settling = 0;

function tick() {
  const t = now();
  if (since) {
    visible += t - since;
    pvVisible += t - since;
  }
  since = !D.hidden && D.hasFocus() && t;
}

/** Visible and focused milliseconds of the current page view so far. */
export const visibleMs = () => (tick(), pvVisible);

// A page no taller than the window is seen whole: 100 (and x / 0 is Infinity, which min caps).
// Returns the deepest percent so far (scroll triggers read it).
export const measureScroll = () =>
  (scroll = Math.max(scroll, Math.min(100, ((scrollY + innerHeight) / D.documentElement.scrollHeight) * 100) | 0));

/** Send the dwell increment of the current page view, if it was visible and focused at all. */
function dwell() {
  tick();
  measureScroll();
  if (!visible) return; // nothing to report
  const t = now();
  emit("dwell", { url, visible_ms: visible, total_ms: Math.min(t - lastDwell, 864e5), scroll, pv, ...cxlisten._m?.(pv, path), ...cxlisten._i }); // vitals.js: the speed so far; signals.js: input seen
  visible = 0;
  lastDwell = t;
}

function begin(ref) {
  pv = uuid();
  path = location.pathname;
  url = href();
  referrer = cut(ref) || null;
  visible = pvVisible = scroll = since = 0;
  lastDwell = now();
  tick();
  onBegin();
}

function pageview() {
  settling = clearTimeout(settling); // undefined: settled
  emit("pageview", { id: pv, url, path, referrer, title: cut(D.title, 512), viewport: { w: innerWidth, h: innerHeight } }, 1);
  onView();
}

// Read the title once the route has settled: when it differs from the previous route's and has
// not changed for 100 ms, or after a second.
function settle(before, last, n) {
  settling = setTimeout(
    safe(() => {
      const title = D.title;
      n < 9 && (title == before || title != last) ? settle(before, title, n + 1) : pageview();
    }),
    100,
  );
}

// A page loaded (or restored from the back/forward cache): a page view from the document's referrer.
const fresh = () => (begin(D.referrer), pageview());

const route = safe(() => {
  if (location.pathname == path) return; // only the hash or the query changed
  if (settling) pageview(); // the previous route never settled: record it as it was
  const previous = url;
  dwell();
  begin(previous);
  settle(D.title, D.title, 0);
});

const hide = safe(() => {
  if (settling) pageview();
  dwell();
  beacon();
});

/** Record page views from now on; call AT_BEGIN as each begins, AT_VIEW once it is queued. */
export function startPages(atBegin, atView) {
  onBegin = atBegin;
  onView = atView;
  for (const name of ["pushState", "replaceState"]) {
    const original = history[name];
    history[name] = function () {
      const result = original.apply(this, arguments);
      route();
      return result;
    };
  }
  on("popstate", route);
  on("focus", tick);
  on("blur", tick);
  on("scroll", measureScroll);
  on("pagehide", hide);
  on("pageshow", (e) => e.persisted && fresh());
  on("visibilitychange", () => (D.hidden ? hide() : tick()), D);
  fresh();
}
