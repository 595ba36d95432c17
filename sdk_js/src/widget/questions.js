// One renderer per question type. Each returns {el, get, focus}: its element, the answer as
// POST /v1/responses wants it ({value, other?} or undefined when unanswered) and where focus
// goes when the question opens. Scales and single choice are native radio groups (arrow keys
// move, Space selects); multiple choice uses checkboxes; every control has a label.
import { safe } from "../env.js";
import { h, id } from "./dom.js";
import { fill, text } from "./i18n.js";

const SCALES = { nps: [0, 10], csat: [1, 5], ces: [1, 7] };

/** The numeric range of Q, or null for choice and text questions. */
export const range = (q) => (q.type == "rating" ? [1, q.scale?.max || 5] : SCALES[q.type] || null);

export function render(q, ctx, previous) {
  const tx = (map) => text(map, ctx.locale, ctx.fallback);
  const label = tx(q.text);
  const r = range(q);
  if (r) return scale(q, ctx, label, r, previous, tx);
  if (q.type == "single" || q.type == "multi") return choice(q, ctx, label, previous, tx);
  return openText(q, ctx, label, previous);
}

function scale(q, ctx, label, [lo, hi], previous, tx) {
  const name = id("q");
  const stars = q.type == "rating";
  const ends = q.labels ? [tx(q.labels.min), tx(q.labels.max)] : ctx.s[q.type] || ctx.s.rating;
  const points = [];
  for (let n = lo; n <= hi; n++) {
    const input = h("input", {
      type: "radio",
      name,
      value: n,
      "aria-label": stars ? fill(ctx.s.star, { n, total: hi }) : n == lo || n == hi ? `${n} (${ends[n == lo ? 0 : 1]})` : n,
      checked: previous?.value === n,
    });
    points.push(h("label", { class: "pt" }, input, h("span", { "aria-hidden": "true" }, stars ? "★" : String(n))));
  }
  const paint = () => {
    const v = get()?.value;
    points.forEach((p, i) => p.classList.toggle("on", stars && v != null && lo + i <= v));
  };
  const group = h("div", { class: "scale" + (stars ? " stars" : ""), onchange: paint }, points);
  const legend = id("l");
  const el = h(
    "fieldset",
    { role: "radiogroup", "aria-labelledby": legend, "aria-required": q.required !== false },
    h("legend", { id: legend }, label),
    group,
    stars ? null : h("div", { class: "ends", "aria-hidden": "true" }, h("span", null, ends[0]), h("span", null, ends[1])),
  );
  function get() {
    const checked = el.querySelector("input:checked");
    return checked ? { value: Number(checked.value) } : undefined;
  }
  paint();
  return { el, get, focus: () => (el.querySelector("input:checked") || el.querySelector("input")).focus() };
}

function choice(q, ctx, label, previous, tx) {
  const multi = q.type == "multi";
  const name = id("q");
  const chosen = [].concat(previous?.value ?? []);
  const options = (q.options || []).map((o) =>
    h(
      "label",
      { class: "opt" },
      h("input", { type: multi ? "checkbox" : "radio", name, value: o.code, checked: chosen.includes(o.code) }),
      h("span", null, tx(o.label)),
    ),
  );
  let other = null;
  if (q.other) {
    other = h("input", {
      type: "text",
      class: "other",
      maxlength: 200,
      "aria-label": ctx.s.specify,
      placeholder: ctx.s.specify,
      value: previous?.other || null,
    });
    const box = h("input", { type: multi ? "checkbox" : "radio", name, value: "other", checked: chosen.includes("other") });
    options.push(h("label", { class: "opt" }, box, h("span", null, ctx.s.other)), other);
  }
  const legend = id("l");
  const el = h(
    "fieldset",
    {
      role: multi ? "group" : "radiogroup",
      "aria-labelledby": legend,
      "aria-required": q.required !== false,
      onchange: () => other && toggle(),
    },
    h("legend", { id: legend }, label),
    options,
  );
  const otherOn = () => !!el.querySelector('input[value="other"]:checked');
  // "Other: ___" is shown only while Other is chosen, and takes focus when it is.
  function toggle(initial) {
    other.hidden = !otherOn();
    if (!other.hidden && !initial) other.focus();
  }
  if (other) toggle(true);
  function get() {
    const values = [...el.querySelectorAll("input:checked")].map((i) => i.value);
    if (!values.length) return undefined;
    const answer = { value: multi ? values : values[0] };
    if (otherOn()) {
      const said = other.value.trim();
      if (!said) return undefined; // "Other" needs its text
      answer.other = said;
    }
    return answer;
  }
  return { el, get, focus: () => el.querySelector("input").focus() };
}

function openText(q, ctx, label, previous) {
  const max = Math.min(q.max_length || 1000, 5000);
  const field = id("t");
  const hint = id("h");
  const area = h("textarea", { id: field, maxlength: max, rows: 3, "aria-describedby": hint });
  area.value = previous?.value || "";
  const left = h("div", { class: "hint", id: hint });
  const count = () => (left.textContent = fill(ctx.s.left, { n: max - area.value.length }));
  area.addEventListener("input", safe(count));
  count();
  const el = h("div", null, h("label", { class: "q", for: field }, label), area, left);
  const get = () => {
    const value = area.value.trim().slice(0, max);
    return value ? { value } : undefined;
  };
  return { el, get, focus: () => area.focus() };
}

/** The question id to go to after Q answered with ANSWER: its first matching branch, or null. */
export function branch(q, answer) {
  const v = answer?.value;
  for (const b of q.branch || []) {
    const w = b.when || {};
    const values = [].concat(v);
    const hit =
      ("equals" in w && values.includes(w.equals)) ||
      (w.in && values.some((x) => w.in.includes(x))) ||
      ((w.min != null || w.max != null) &&
        typeof v == "number" &&
        (w.min == null || v >= w.min) &&
        (w.max == null || v <= w.max));
    if (hit) return b.goto;
  }
  return null;
}
