// What to show, and when. After each page view (SPA routes included) the core asks the
// collector which surveys and interventions apply to this visitor on this page
// (GET /v1/config?url=...). The collector has already checked each one's `urls` patterns and,
// for `journey` triggers, that this session's pages follow the `steps`; the core evaluates the
// moment here in the page, and only when one fires is the widget (widget.js) loaded:
//
//   pageview, journey, visit   at once (the collector decided: journey steps, the Nth visit);
//   dwell              after `seconds` of visible and focused time on this page view (a dwell
//                      `after` other steps: the collector checked those steps);
//   scroll             once this page view has been scrolled `percent` deep (its deepest point
//                      so far, as the dwell events report it; a page no taller than the window
//                      is seen whole, 100);
//   exit_intent        desktop: the pointer leaves through the top of the window; touch screens
//                      (no hover): a fast scroll back up, a third of the viewport in half a second;
//   event              when cxlisten.track(`event`) is called on this page;
//   frustration        when signals.js sees a rage click (3 on one element within a second) or
//                      a dead click, as `signal` says.
//
// The behaviour detector (signals.js: clicks, dead clicks, abandoned form fields, and rage or
// dead clicks for `frustration` triggers) is loaded at start, lazily like the widget.
//
// An item is shown at most once per session from here (the collector enforces repetition rules
// and the contact budget across sessions).
//
// index.js wires this module to the page views (reset, refresh) and hands it the page's visible
// time, so that it does not import pages.js.
import { base } from "./config.js";
import { blocked } from "./consent.js";
import { D, log, now, on, safe } from "./env.js";
import { emit } from "./events.js";
import { session } from "./identity.js";
import { getConfig, knowVisitor } from "./transport.js";

let current = {}; // the last /v1/config reply
let armed = []; // items waiting for their dwell, exit intent or event
let widget;
let page = 0; // bumped on every route change: a late reply for an old route is ignored

/** Forget the previous page's armed triggers (on a route change). */
export const reset = () => ((armed = []), page++);

/** Ask the collector what applies on this page, then arm or fire each item. */
export function refresh() {
  const mine = page;
  knowVisitor
    .then(getConfig)
    .then(
      safe((reply) => {
        if (mine - page) return;
        current = reply;
        [...reply.surveys, ...reply.interventions].sort((a, b) => b.priority - a.priority).forEach(arm);
        if (reply.action) present(reply.action, "action"); // the widget shows it once a session
      }),
      (e) => log("no config:", e),
    );
}

function arm(item) {
  const t = item.trigger;
  const type = t.type;
  if (session().d.includes(item.id)) log(item.id, "shown already");
  else if (/^[pjv]/.test(type)) fire(item, type); // pageview, journey, visit: at once
  else armed.push(item) && log(item.id, "armed:", t);
}

function take(type, test, why) {
  const item = armed.find((i) => i.trigger.type == type && test(i.trigger));
  if (item) {
    armed = armed.filter((i) => i != item);
    fire(item, why);
  }
}

function fire(item, why) {
  session((s) => s.d.push(item.id));
  present(item, why);
}

/** A custom event was tracked: fire what waits for it. */
export const onEvent = (name) => take("event", (t) => t.event == name, name);

const exit = (why) => take("exit_intent", Boolean, why);

// What the widget may use of the core.
const core = { emit_: emit, log_: log, blocked_: blocked, getConfig_: getConfig, current_: () => current, take_: take };

// Load NAME.js (classic: it reads its URL in currentScript); it registers cxlisten._ + NAME[0].
const lazy = (name) =>
  new Promise((resolve, reject) => {
    const s = D.createElement("script");
    s.src = base + name + ".js";
    s.onload = () => resolve(cxlisten["_" + name[0]]);
    s.onerror = reject;
    D.head.append(s);
  });

function present(item, why) {
  log("show", item.id || item.show, why);
  (widget ||= lazy("widget")).then((w) => w(core, item, why)).catch(log);
}

/** Open survey ID now, whatever its trigger; the widget finds it (an object is shown as given). */
export const show = (id) => present(id?.id ? id : { show: id }, "show()");

/** Evaluate dwell, scroll and exit-intent triggers from now on; VISIBLE_MS() is this page
 * view's time, DEPTH() its deepest scroll in percent. */
export function startTriggers(visibleMs, depth) {
  for (const name of ["signals", "vitals"]) lazy(name).then((s) => s(core), log);
  setInterval(
    safe(() => {
      const ms = armed[0] && visibleMs();
      if (ms) take("dwell", (t) => ms >= t.seconds * 1e3, "dwell"), take("scroll", (t) => depth() >= t.percent, "scroll");
    }),
    500,
  );
  on("mouseout", (e) => e.relatedTarget || e.clientY > 0 || exit("pointer out"), D);
  if (matchMedia("(hover:none)").matches) {
    let lastY = 0;
    let from; // where and when the current upward scroll began
    on("scroll", () => {
      const y = scrollY;
      if (y >= lastY) from = 0;
      else if (!from || now() - from.t > 500) from = { y: lastY, t: now() };
      else if (from.y - y > innerHeight / 3) exit("scroll up");
      lastY = y;
    });
  }
}
