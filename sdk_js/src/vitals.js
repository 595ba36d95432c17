// Page speed (vitals.js), loaded by the core at start-up like signals.js: the real-user metrics
// of each page view as the web-vitals definitions read them, from buffered PerformanceObserver
// entries (so loading late loses nothing). It registers window.cxlisten._v(core); the core's
// dwell events then carry `vitals` through cxlisten._m(pv, path), and `slow_page` triggers fire
// here when a metric of this page view passes its threshold. Nothing is sent on its own.
//
//   ttfb  navigation responseStart (less activationStart for a prerendered page)
//   fcp   first-contentful-paint; lcp the last largest-contentful-paint — both only if they
//         happened before the page was first hidden
//   cls   the largest session window of layout shifts without recent input (gaps under 1 s,
//         windows under 5 s)
//   inp   the slowest interaction (event entries grouped by interactionId), ignoring one for
//         every 50 interactions
//   conn  navigator.connection.effectiveType, where the browser tells it
//
// A single-page route change (a new path) or a page restored from the back/forward cache
// starts a "soft" view: it gets cls and inp counted from its start, not ttfb, fcp or lcp.
//
// Every callback (observers, listeners, the timer, the core's calls) runs inside safe().
import { safe } from "./env.js";

const P = performance;
let nav, activation = 0; // the navigation entry; a prerendered page counts from its activation
let hiddenAt = document.visibilityState == "hidden" ? 0 : Infinity;

const shifts = []; // [startTime, value] without recent input
const interactions = {}; // interactionId → [startTime, longest duration]
const fcp = [], lcp = []; // startTimes, read at report time against when the page was hidden
let views = [{ path: location.pathname, t0: 0, soft: 0 }]; // this document's page views, oldest first
const byPv = {};

function observe(type, take, options) {
  try {
    new PerformanceObserver(safe((list) => (list.getEntries().forEach(take), check()))).observe({ type, buffered: true, ...options });
  } catch {} // a type this browser does not know
}
const since = (t) => Math.max(0, Math.round(t - activation));
// Entries come from observers only: a test's fake clock may replace performance's own getters.
observe("navigation", (e) => ((nav = e), (activation = e.activationStart || 0)));
observe("visibility-state", (e) => e.name == "hidden" && (hiddenAt = Math.min(hiddenAt, e.startTime)));
observe("paint", (e) => e.name == "first-contentful-paint" && fcp.push(e.startTime));
observe("largest-contentful-paint", (e) => lcp.push(e.startTime));
observe("layout-shift", (e) => e.hadRecentInput || shifts.push([e.startTime, e.value]));
observe(
  "event",
  (e) => {
    const i = e.interactionId;
    if (i) interactions[i] = [Math.min(interactions[i]?.[0] ?? e.startTime, e.startTime), Math.max(interactions[i]?.[1] || 0, e.duration)];
  },
  { durationThreshold: 40 },
);
// An event's timeStamp is on the entries' timeline, as web-vitals reads it (a fake clock's
// performance.now() may not be).
addEventListener("visibilitychange", safe((e) => document.hidden && (hiddenAt = Math.min(hiddenAt, e.timeStamp))), true);
addEventListener("pageshow", safe((e) => e.persisted && views.push({ path: location.pathname, t0: e.timeStamp, soft: 1 })), true);

function current() {
  const last = views[views.length - 1];
  if (last.path != location.pathname) views.push({ path: location.pathname, t0: P.now(), soft: 1 });
  return views[views.length - 1];
}

/** The metrics of VIEW so far. */
function metrics(view) {
  const next = views[views.indexOf(view) + 1];
  const inside = (t) => t >= view.t0 && (!next || t < next.t0);
  const m = {};
  if (!view.soft) {
    if (nav) m.ttfb = since(nav.responseStart);
    const seen = (list) => list.filter((t) => t < hiddenAt).pop();
    if (seen(fcp) != null) m.fcp = since(seen(fcp));
    if (seen(lcp) != null) m.lcp = since(seen(lcp));
  }
  let cls = 0, sum = 0, first = 0, prev = 0;
  for (const [t, value] of shifts) {
    if (!inside(t)) continue;
    if (sum && t - prev < 1000 && t - first < 5000) sum += value;
    else (sum = value), (first = t);
    prev = t;
    cls = Math.max(cls, sum);
  }
  m.cls = Math.round(cls * 1e4) / 1e4;
  const slow = Object.values(interactions).filter(([t]) => inside(t)).map(([, d]) => d).sort((a, b) => b - a);
  if (slow[0]) m.inp = Math.round(slow[Math.min(slow.length - 1, (slow.length / 50) | 0)]);
  const conn = navigator.connection?.effectiveType;
  if (conn) m.conn = conn;
  return m;
}

let core;
const check = safe(() => {
  const m = core && metrics(current());
  if (m) core.take_("slow_page", (t) => m[t.metric] > t.over, "slow page");
  start.checks++; // what tests wait on before they say a trigger did not fire
});

// The dwell of page view PV (at PATH) carries its metrics: the newest view of that path that is
// not another page view's.
const measure = safe((pv, path) => {
  current();
  let view = byPv[pv];
  for (let i = views.length - 1; !view && i >= 0; i--) if (views[i].path == path && !views[i].pv) view = views[i];
  view ||= views[views.length - 1];
  view.pv = pv;
  byPv[pv] = view;
  return { vitals: metrics(view) };
});

const start = safe((c) => {
  core = c;
  window.cxlisten._m = measure;
  setInterval(check, 1000); // a trigger armed after the metric passed its threshold
  check();
});
start.checks = 0;
const cx = window.cxlisten;
if (cx) cx._v = start;
