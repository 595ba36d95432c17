// POST /v1/responses: JSON as text/plain (no preflight), keepalive so the last answer survives
// a navigation; retried twice on network errors, 5xx and 429 (after the reply's Retry-After,
// else 1 s then 3 s), never on another 4xx. A resend is upserted by its response id.
import { setVisitor, visitor } from "../identity.js";

// widget.js sits next to sdk.js; the site key is on sdk.js's tag.
export const base = new URL(".", document.currentScript.src).href;
export const site = () => document.querySelector('script[src*="sdk.js"][data-site]')?.getAttribute("data-site");

export function postResponse(body, core, attempt = 0) {
  const why = core.blocked_();
  if (why) return Promise.resolve(core.log_("response not sent:", why));
  return fetch(base + "v1/responses", {
    method: "POST",
    keepalive: true,
    body: JSON.stringify({ site: site(), visitor: visitor(), ...body }),
  })
    .then((r) => {
      if (r.status > 499 || r.status == 429) throw r;
      return r.json().then((reply) => {
        setVisitor(reply.visitor);
        if (!r.ok) return core.log_("response refused (not retried):", r.status, reply.error);
        core.log_("response", reply.status, body.answers);
        return reply;
      });
    })
    .catch((e) => {
      if (attempt > 1) return core.log_("response not sent:", e.status || e);
      const after = +e.headers?.get("Retry-After"); // exposed by the collector to its sites
      const wait = after > 0 ? after * 1000 : 1000 + 2000 * attempt;
      core.log_("response retry in ms", wait, e.status || e);
      return new Promise((ok) => setTimeout(ok, wait)).then(() => postResponse(body, core, attempt + 1));
    });
}
