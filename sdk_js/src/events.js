// Build an event of the collect contract, {id, kind, ts, url, ...fields}, and queue it.
import { now, uuid } from "./env.js";
import { session } from "./identity.js";
import { enqueue } from "./transport.js";

export const href = () => location.href.slice(0, 2048);

export function emit(kind, fields, soon) {
  session(Object); // activity keeps the session alive
  enqueue({ id: uuid(), kind, ts: now(), url: href(), ...fields }, soon);
}
