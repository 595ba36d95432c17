// Building the widget's DOM: elements with properties and children, text only — never HTML —
// inside a Shadow DOM whose styles the host page cannot reach (and ours cannot leak out). Every
// listener, observer and timer of the widget runs inside safe(), as the core's do.
import { safe } from "../env.js";
import { CSS } from "./styles.js";

/** Create element TAG with PROPS (attributes; "on*" are listeners) and CHILDREN (nodes or text). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), safe(v));
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c != null && c !== false) el.append(c); // strings become text nodes
  return el;
}

let uid = 0;
export const id = (prefix) => `cx-${prefix}-${++uid}`;

const hosts = {};

/** Dark or white text on COLOR (#rgb or #rrggbb), whichever reads better (WCAG luminance). */
export function onAccent(color) {
  const hex = color.length < 7 ? color.replace(/\w/g, "$&$&") : color;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 ? "#111827" : "#fff";
}

/** The shadow root for PLACEMENT (bottom-right, bottom-left, top-right, top-left, center), or
 * a new one that replaces the content of SLOT, a page element marked data-cxlisten-slot. */
export function root(placement, accent, slot) {
  const where = slot ? "slot" : /^((top|bottom)-(left|right)|center)$/.test(placement) ? placement : "bottom-right";
  if (!slot && hosts[where]?.isConnected) return hosts[where].shadowRoot.lastChild;
  const host = document.createElement("cxlisten-ui");
  host.setAttribute("data-placement", where);
  const shadow = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = CSS;
  const stack = h("div", { class: "stack " + where });
  if (accent) {
    stack.style.setProperty("--accent", accent);
    stack.style.setProperty("--on-accent", onAccent(accent));
  }
  if (slot) return shadow.append(style, stack), slot.replaceChildren(host), stack;
  shadow.append(style, document.createElement("style"), stack); // the second: its box (fit())
  document.body.append(host);
  hosts[where] = host;
  fit();
  return stack;
}

/** The visual viewport, in the layout viewport's CSS pixels (what position:fixed is relative to). */
function seen() {
  const v = window.visualViewport;
  return v ? [v.offsetLeft, v.offsetTop, v.width, v.height] : [0, 0, innerWidth, innerHeight];
}

// Keep every floating host on the visual viewport. A page wider than the screen widens the
// layout viewport on phones, and a pinch zoom shrinks the visual one: a fixed bottom-right box
// would then sit where the visitor cannot see it.
const fit = safe(() => {
  const [x, y, w, hgt] = seen();
  for (const host of Object.values(hosts)) {
    if (!host.isConnected) continue;
    host.toggleAttribute("data-narrow", w <= 480);
    host.shadowRoot.children[1].textContent = `:host{left:${x}px!important;top:${y}px!important;width:${w}px!important;height:${hgt}px!important}`;
  }
});
if (window.visualViewport) ["resize", "scroll"].forEach((e) => visualViewport.addEventListener(e, fit));
addEventListener("resize", fit);

/** Call SHOWN once EL is at least half inside the visual viewport (an IntersectionObserver says
 * when its place changes, the visual viewport when it moves); until then it was not shown, and
 * LOG says so (under data-debug) if it is still out of sight after a moment. */
export function whenSeen(el, shown, log) {
  let done = false;
  const check = safe(() => {
    if (done || !el.isConnected) return;
    const r = el.getBoundingClientRect();
    const [x, y, w, hgt] = seen();
    const across = Math.min(r.right, x + w) - Math.max(r.left, x);
    const down = Math.min(r.bottom, y + hgt) - Math.max(r.top, y);
    if (r.width > 0 && r.height > 0 && across > 0 && down > 0 && across * down >= 0.5 * r.width * r.height) {
      done = true;
      stop();
      shown();
    }
  });
  const io = window.IntersectionObserver && new IntersectionObserver(check, { threshold: [0, 0.25, 0.5, 0.75, 1] });
  const v = window.visualViewport;
  const stop = () => {
    io?.disconnect();
    v?.removeEventListener("resize", check);
    v?.removeEventListener("scroll", check);
    removeEventListener("scroll", check);
  };
  io?.observe(el);
  v?.addEventListener("resize", check);
  v?.addEventListener("scroll", check);
  addEventListener("scroll", check, { passive: true });
  requestAnimationFrame(check);
  setTimeout(
    safe(() => {
      check();
      if (!done) log(el.isConnected ? "not shown: not visible on screen" : "not shown: removed before it was visible");
    }),
    1500,
  );
}

/** Remove EL; drop its host when nothing else is shown there. */
export function remove(el) {
  const stack = el.parentNode;
  el.remove();
  if (stack && !stack.children.length) stack.getRootNode().host?.remove();
}
