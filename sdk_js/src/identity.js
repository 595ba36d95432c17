// Who and when: the visitor token the collector signs (kept first-party in localStorage, in a
// cookie when localStorage is unavailable), and the client session {i: id, t: last activity,
// d: surveys and panels shown}, renewed after 30 idle minutes.
import { D, load, now, save, uuid } from "./env.js";

export const CONSENT = "cxl_c"; // 0 after consent(false), 1 after consent(true)
const TOKEN = "cxl_v";
const SESSION = "cxl_s";
export const IDLE_MS = 18e5;

export const visitor = () =>
  load(TOKEN) || D.cookie.match(/(^|; )cxl_v=([^;]+)/)?.[2] || ""; // "": none

// The token is cookie-safe as it comes (base64url and dots, signed by the collector, which also
// serves this script), so it is stored unencoded. A reply that arrives after consent(false) must
// not store again the token that consent(false) forgot.
export function setVisitor(token) {
  if (token && token != visitor() && load(CONSENT) !== 0 && !save(TOKEN, token))
    D.cookie = `cxl_v=${token};path=/;max-age=31536000;SameSite=Lax`;
}

export function forget() {
  save(TOKEN);
  save(SESSION);
  D.cookie = "cxl_v=;path=/;max-age=0";
}

/** The current session, a new one after 30 idle minutes; CHANGE(session) then marks activity. */
export function session(change) {
  let s = load(SESSION);
  const t = now();
  if (!s?.i || t - s.t > IDLE_MS) s = { i: uuid(), t, d: [] };
  if (change) {
    change(s);
    s.t = t;
    save(SESSION, s);
  }
  return s;
}
