// Getting events to the collector without losing or duplicating any.
//
// Every event goes first into a bounded queue in localStorage (shared by the site's tabs), then
// out in batches: JSON sent as text/plain (a "simple" request: no CORS preflight) with
// fetch(keepalive), or with sendBeacon as the page is hidden. An event leaves the queue only
// when the collector answered for it:
//
//   2xx         stored; the events the reply lists as `rejected` (by index) are dropped too;
//   4xx         the whole batch refused: retrying cannot help, it is dropped (429 excepted);
//   429, 503    retried after the reply's Retry-After seconds (readable cross-origin because
//               the collector exposes it), else as below;
//   network error (offline included), 5xx   retried with exponential backoff and jitter, and
//               at once when the browser comes back online.
//
// Every drop is logged under debug. Requests carry no cookies (cross-origin fetches default to
// credentials "same-origin"). The collector deduplicates by the client event id, so a resend is
// harmless; a beaconed event (delivery unknown) stays queued and is resent after BEACON_MS.
import { base, site } from "./config.js";
import { blocked } from "./consent.js";
import { json, load, log, now, on, safe, save } from "./env.js";
import { setVisitor, visitor } from "./identity.js";

const QUEUE = "cxl_q";
export const MAX_QUEUED = 500;
const BEACON_MS = 5e3;

let failures = 0;
let retryAt = 0;
let timer;
let inflight = [];
let firstReply;
/** Resolves once a visitor token is known, or the first send was answered or failed. */
export const knowVisitor = new Promise((resolve) => (firstReply = resolve));

const queued = () => load(QUEUE) || [];

// Re-read before every write: another tab may have changed the queue meanwhile.
function mutate(change) {
  const q = change(queued());
  if (q[MAX_QUEUED]) log("queue full");
  save(QUEUE, q.slice(-MAX_QUEUED));
}

export function clearQueue() {
  save(QUEUE);
  timer = clearTimeout(timer);
}

/** Queue EVENT and send it within a second (at once when SOON); false when sending is off. */
export function enqueue(event, soon) {
  const why = blocked();
  if (why) return log("not sent:", event.kind, why); // falsy
  log("queued", event);
  mutate((q) => q.concat(event));
  schedule(soon ? 0 : 1e3);
  return 1;
}

function schedule(ms) {
  if (!timer) timer = setTimeout(flush, Math.max(ms, retryAt - now()));
}

/** The body of the next batch: queued events passing KEEP, at most 100, under 60 kB. */
function batch(keep) {
  const events = [];
  let chars = 0; // at most 3 bytes a char: under 60 kB
  for (const { b, ...e } of queued())
    if (!events[99] && keep(e.id, b) && (chars += JSON.stringify(e).length) < 2e4) events.push(e);
  // ua: navigator.userAgentData (mobile, platform, brands) where the browser has it: it decides
  // the device class when a proxy drops the Client Hints headers or the string is frozen.
  return events[0] && { ids_: events.map((e) => e.id), body_: JSON.stringify({ site, visitor: visitor(), events, ua: navigator.userAgentData }) };
}

const endpoint = base + "v1/collect";

const flush = safe(() => {
  timer = 0;
  if (blocked() || inflight[0]) return;
  const b = batch((id, beaconed) => !(now() - beaconed < BEACON_MS));
  if (!b) return;
  inflight = b.ids_;
  fetch(endpoint, { method: "POST", body: b.body_, keepalive: true })
    .then((r) => {
      if (r.status > 499 || r.status == 429) throw r;
      mutate((q) => q.filter((e) => !inflight.includes(e.id)));
      failures = retryAt = 0;
      log(r.ok ? "sent" : "dropped:", r.status, inflight);
      return json(r).then((j) => {
        setVisitor(j.visitor);
        j.rejected?.map((x) => log("dropped:", inflight[x.index], x.errors));
      }, log);
    })
    .catch((e) => {
      const after = e.headers?.get("retry-after") * 1e3; // NaN when absent or not exposed
      const wait = after > 0 ? after : Math.min(3e5, 1e3 * 2 ** ++failures) * (0.5 + Math.random() / 2);
      retryAt = now() + wait;
      log("retry in ms", wait, e); // E: the reply, or the network error
    })
    .then(() => {
      inflight = [];
      firstReply();
      // Events that waited for this send go now, not on a timer: a page's timers may be throttled.
      if (queued()[0] && !timer) retryAt > now() ? schedule(0) : flush();
    });
});

/** Hand what is queued to sendBeacon as the page is hidden; it stays queued until acked. */
export const beacon = safe(() => {
  const b = !blocked() && navigator.onLine && batch((id) => !inflight.includes(id));
  if (b && navigator.sendBeacon(endpoint, b.body_)) {
    mutate((q) => q.map((e) => (b.ids_.includes(e.id) ? { ...e, b: now() } : e)));
    log("beaconed", b.ids_);
  }
});

export function startTransport() {
  if (visitor()) firstReply();
  on("online", flush); // now, whatever the backoff said
  schedule(0);
}

/** GET /v1/config for this page with the site and visitor; resolve with the JSON reply. */
export const getConfig = (extra) =>
  fetch(base + "v1/config?" + new URLSearchParams({ site, visitor: visitor(), url: location.href, ...extra })).then((r) =>
    json(r).then((j) => {
      setVisitor(j.visitor);
      if (!r.ok) throw r.status;
      return j;
    }),
  );
