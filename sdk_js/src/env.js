// Small shared helpers: ids, time, debug logging, the never-throw wrapper, and storage that
// falls back to this page's memory when localStorage is unavailable (private mode, blocked).

export const D = document;
export const now = () => Date.now();

let debugOn;
export const setDebug = (on) => (debugOn = on);

/** Log with the [cxlisten] prefix, only when debug is on (console.info: hosts watch errors). */
export const log = (...args) => debugOn && console.info("[cxlisten]", ...args);

/** Wrap FN so that nothing it throws reaches the host page. */
export const safe =
  (fn) =>
  (...args) => {
    try {
      return fn(...args);
    } catch (e) {
      log(e);
    }
  };

/** Listen for TYPE on TARGET (window by default), passive, through safe(); CAPTURE: first. */
export const on = (type, fn, target = window, capture) => target.addEventListener(type, safe(fn), { passive: 1, capture });

/** S cut to at most N code points: never half of a surrogate pair (the collector counts code points). */
export const cut = (s, n = 2048) => [...s.slice(0, 2 * n)].slice(0, n).join("");

/** A random RFC 4122 v4 UUID (crypto.randomUUID needs a secure context; this does not). */
export const uuid = () =>
  "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
    (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
  );

const memory = {};
let memoryOnly; // set once localStorage has refused a write

/** The JSON value stored under KEY, or null. */
export function load(key) {
  try {
    return memoryOnly ? memory[key] : JSON.parse(localStorage.getItem(key));
  } catch {
    return memory[key];
  }
}

/** Store VALUE under KEY (null removes it); falsy when localStorage refused. */
export function save(key, value) {
  memory[key] = value;
  try {
    value == null ? localStorage.removeItem(key) : localStorage.setItem(key, JSON.stringify(value));
    return 1;
  } catch {
    memoryOnly = 1;
  }
}

export const json = (r) => r.json();
