// Build an event of the collect contract, {id, kind, ts, url, ...fields}, and queue it.
import { cut, now, uuid } from "./env.js";
import { session } from "./identity.js";
import { enqueue } from "./transport.js";

export const href = () => cut(location.href);

export function emit(kind, fields, soon) {
  // Queued (tracking allowed): that is activity, which keeps the session alive.
  if (enqueue({ id: uuid(), kind, ts: now(), url: href(), ...fields }, soon)) session(Object);
}
