// The core tracker (sdk.js): public API, queue-stub replay and start-up.
//
//   <script async src="https://COLLECTOR/sdk.js" data-site="SITE_KEY"></script>
//
// Calls made before this file loaded wait in window.cxlisten.q (docs/snippet.md has the stub)
// and are replayed in order right after start-up, before anything is sent (debug calls also
// before start-up, so that its decisions are logged). Calls the core does not hold itself
// (identify, reset, and unknown names, which the widget logs) go to the widget, loaded on first
// such call: the core has no bytes to spare for them.
import { attr } from "./config.js";
import { blocked } from "./consent.js";
import { load, log, safe, save, setDebug } from "./env.js";
import { emit } from "./events.js";
import { CONSENT, forget } from "./identity.js";
import { measureScroll, startPages, visibleMs } from "./pages.js";
import { clearQueue, startTransport } from "./transport.js";
import * as triggers from "./triggers.js";

const stub = window.cxlisten;
let started;

function start() {
  const why = blocked();
  if (why || started) return log("not tracking:", why || "started");
  started = 1;
  startTransport();
  // The triggers read the page views' visible time and scroll depth, and follow each page view (its start
  // forgets the previous page's armed triggers; once recorded, its config is fetched).
  triggers.startTriggers(visibleMs, measureScroll);
  startPages(triggers.reset, triggers.refresh);
}

const api = {
  /** Record custom event NAME with up to 20 scalar PROPS; fires surveys waiting for it. */
  track(name, props) {
    emit("custom", { name, props }); // the collector checks both and says why if it refuses
    triggers.onEvent(name);
  },
  /** consent(false) stops sending and clears the queue and the visitor token; true resumes. */
  consent(yes) {
    save(CONSENT, yes ? 1 : 0);
    yes ? start() : clearQueue(forget());
  },
  /** Open survey SURVEY_ID now, whatever its trigger (for testing a survey). */
  show: triggers.show,
  /** Log why each thing was or was not sent or shown. */
  debug: (on) => setDebug(on !== false),
  /** identify(CUSTOMER_ID, SIGNATURE) links this browser; reset() unlinks it: widget/identify.js. */
  identify: 0,
  reset: 0,
};

// A second copy does nothing (and cannot log: its debug switch is never set).
if (!stub?.v) {
  const cx = safe((name, ...args) => (api[name] ? api[name](...args) : triggers.show([name, ...args])));
  for (const name in api) cx[name] = (...args) => cx(name, ...args);
  cx.v = 1;
  window.cxlisten = cx;
  setDebug(attr("debug") != null && attr("debug") != "false");
  stub?.q?.forEach((args) => args[0] == "debug" && cx(...args)); // so start-up is logged too
  safe(start)();
  stub?.q?.forEach((args) => cx(...args));
}
