// Building the widget's DOM: elements with properties and children, text only — never HTML —
// inside a Shadow DOM whose styles the host page cannot reach (and ours cannot leak out).
import { CSS } from "./styles.js";

/** Create element TAG with PROPS (attributes; "on*" are listeners) and CHILDREN (nodes or text). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
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
  shadow.append(style, stack);
  if (slot) return slot.replaceChildren(host), stack;
  document.body.append(host);
  hosts[where] = host;
  return stack;
}

/** Remove EL; drop its host when nothing else is shown there. */
export function remove(el) {
  const stack = el.parentNode;
  el.remove();
  if (stack && !stack.children.length) stack.getRootNode().host?.remove();
}
