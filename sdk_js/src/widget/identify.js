// cxlisten.identify(customer_id, signature) and cxlisten.reset(), which the core hands here (it
// forwards every call it does not hold itself, and has no bytes to spare for these).
//
// identify POSTs {site, visitor, customer, signature} to /v1/identify: the collector links this
// browser's visitor to the customer only if signature = hex HMAC-SHA256(site identity secret,
// customer), computed by the site's backend. A refusal (missing or forged signature: 400/403)
// changes nothing and is logged with the collector's reasons. The reply's token is kept: a fresh
// one when this browser was another customer's. reset() (on log-out) POSTs /v1/reset and keeps
// the fresh anonymous visitor it gets, with a new client session; when the collector cannot be
// reached the browser forgets its token anyway, so that nothing more is added to the customer.
import { safe } from "../env.js";
import { forget, setVisitor, visitor } from "../identity.js";
import { base, site } from "./net.js";

const post = (path, body) =>
  fetch(base + "v1/" + path, { method: "POST", keepalive: true, body: JSON.stringify({ site: site(), visitor: visitor(), ...body }) }).then((r) =>
    r.json().then((reply) => [r, reply]),
  );

// A first page view has no visitor token until the collector's first reply; identifying
// without one would link a visitor that reply then replaces. Wait for it (at most 10 s).
const known = (tries = 100) =>
  new Promise((ok) => (visitor() || !tries ? ok() : setTimeout(() => known(tries - 1).then(ok), 100)));

// Replies to requests sent before a change of visitor (the core's batch, a config fetch, an
// answer) still carry the old token and would store it again: for the rest of this page the old
// token gives way to the new one, or to none (later pages send only what is stored).
function replace(old, token) {
  const swap = () => {
    forget(); // the token, and the session: a new person, or nobody
    setVisitor(token);
  };
  if (token == old) return;
  if (!old) return setVisitor(token); // the first token: nothing to give way
  swap();
  setInterval(safe(() => visitor() == old && swap()), 100);
}

const calls = {
  identify: (core, customer, signature) =>
    known().then(() => {
      const sent = visitor();
      return post("identify", { customer, signature }).then(([r, reply]) => {
        if (reply.visitor) replace(sent, reply.visitor); // another customer's browser: a fresh one
        if (!r.ok) return core.log_("identify refused, nothing linked:", r.status, reply.error?.message, reply.error?.fields);
        core.log_(reply.linked ? "identified as" : "not linked (Do Not Track):", reply.customer);
      });
    }),
  reset: (core) => {
    const old = visitor();
    return post("reset").then(
      ([r, reply]) => {
        replace(old, r.ok && reply.visitor); // refused: this browser forgets its token anyway
        if (!r.ok) throw [r.status, reply.error];
        core.log_("reset:", reply.unlinked ? "unlinked from the customer;" : "was not linked;", "a fresh visitor");
      },
      (e) => {
        replace(old, "");
        throw e;
      },
    );
  },
};

/** Run public call NAME of the snippet with ARGS (the core forwarded it). */
export function call(core, name, ...args) {
  const why = core.blocked_();
  if (!calls[name]) return core.log_("unknown call", name);
  if (why) return core.log_(name, "not sent:", why);
  calls[name](core, ...args).catch((e) => core.log_(name, "not sent:", e));
}
