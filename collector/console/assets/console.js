// The console's JavaScript: htmx for requests that swap part of a page (the builder's checks as
// one types), and uPlot for every chart. Pages work without it: every chart has its numbers in a
// table, every action is a plain form.
import htmx from "htmx.org";
import uPlot from "uplot";

window.htmx = htmx;

// Colours from the stylesheet, so charts follow it.
const css = (name, fallback) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

function sparkline(el) {
  const values = JSON.parse(el.dataset.values || "[]");
  const xs = values.map((_, i) => i);
  const stroke = css("--accent", "#2457c5");
  new uPlot(
    {
      width: el.clientWidth || 120,
      height: 32,
      class: "spark-plot",
      cursor: { show: false },
      legend: { show: false },
      select: { show: false },
      scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke, fill: stroke + "22", width: 1.5, points: { show: false } }],
    },
    [xs, values],
    el,
  );
}

const data = (el, name) => JSON.parse(el.dataset[name] || "[]");
const font = () => `12px ${getComputedStyle(document.body).fontFamily}`;

// Bars with a category axis (funnels and distributions). With data-links, clicking a bar opens
// the results filtered to that answer (the table below has the same links, for the keyboard).
function bars(el) {
  const labels = data(el, "labels");
  const values = data(el, "values");
  const links = data(el, "links");
  const xs = values.map((_, i) => i);
  const stroke = css("--accent", "#1f4fb8");
  const chart = new uPlot(
    {
      width: Math.min(el.clientWidth || 480, 640),
      height: 200,
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      legend: { show: false },
      select: { show: false },
      scales: { x: { time: false, range: [-0.5, values.length - 0.5] }, y: { range: (u, min, max) => [0, Math.max(1, max) * 1.1] } },
      axes: [
        { font: font(), values: (u, splits) => splits.map((i) => labels[i] ?? ""), splits: () => xs, gap: 4, size: 40 },
        { font: font(), size: 48 },
      ],
      series: [{}, { fill: stroke + "cc", stroke, width: 0, paths: uPlot.paths.bars({ size: [0.7, 80] }), points: { show: false } }],
    },
    [xs, values],
    el,
  );
  if (links.length) {
    chart.over.style.cursor = "pointer";
    chart.over.addEventListener("click", () => {
      const i = chart.cursor.idx;
      if (i != null && links[i]) location.href = links[i];
    });
  }
}

// A score per day with its 95% interval drawn as a band.
function trend(el) {
  const labels = data(el, "labels");
  const xs = labels.map((d) => Date.parse(d + "T00:00:00Z") / 1000);
  const stroke = css("--accent", "#1f4fb8");
  new uPlot(
    {
      width: Math.min(el.clientWidth || 480, 720),
      height: 220,
      legend: { show: false },
      axes: [{ font: font() }, { font: font(), size: 48 }],
      series: [
        {},
        { stroke, width: 2, points: { show: true, size: 5 } },
        { stroke: stroke + "55", width: 1, dash: [4, 4], points: { show: false } },
        { stroke: stroke + "55", width: 1, dash: [4, 4], points: { show: false } },
      ],
      bands: [{ series: [3, 2], fill: stroke + "22" }],
    },
    [xs, data(el, "values"), data(el, "low"), data(el, "high")],
    el,
  );
}

const DRAW = { spark: sparkline, bars, trend };

function drawCharts(root) {
  for (const el of root.querySelectorAll("[data-chart]")) {
    if (!el.dataset.drawn && DRAW[el.dataset.chart]) {
      el.dataset.drawn = "1";
      DRAW[el.dataset.chart](el);
    }
  }
}

// A link of the builder's error summary puts the focus in the field it names, not only the view.
document.addEventListener("click", (e) => {
  const link = e.target.closest(".error-summary a[href^='#']");
  const field = link && document.getElementById(link.getAttribute("href").slice(1));
  if (field) {
    e.preventDefault();
    field.focus();
  }
});

// "Copy" buttons copy the text of the element they name.
document.addEventListener("click", (e) => {
  const button = e.target.closest("[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  navigator.clipboard?.writeText(source.value ?? source.textContent).then(() => (button.dataset.copied = "1"));
});

// The builder's parts that only some choices need (a dwell trigger's seconds, a question's
// options) are in the page, hidden when not needed: a change of the choice shows them at once.
// (Without JS, the server shows them when the form is checked.)
function showParts(root) {
  for (const part of root.querySelectorAll("[data-show-field]")) {
    const field = document.getElementsByName(part.dataset.showField)[0];
    if (field) part.hidden = !part.dataset.showValues.split(",").includes(field.value);
  }
}
document.addEventListener("change", (e) => {
  if (e.target.name && document.querySelector(`[data-show-field="${CSS.escape(e.target.name)}"]`)) showParts(document);
});

// A field typed in before this script ran (a slow connection, a quick hand) has its live check
// asked for now: htmx takes the value it finds at start as the unchanged one.
function checkEarlyInput() {
  for (const el of document.querySelectorAll("textarea[hx-post], input[hx-post]")) {
    if (el.value === el.defaultValue) continue;
    const attr = (name) => el.getAttribute(name) || undefined;
    htmx.ajax("POST", attr("hx-post"), { source: el, target: attr("hx-target"), swap: attr("hx-swap") });
  }
}

document.addEventListener("DOMContentLoaded", () => (drawCharts(document), checkEarlyInput()));
document.addEventListener("htmx:afterSwap", (e) => drawCharts(e.target));

// console2: the phase pages' charts (funnel, lift).
import "./phases.js";
// After the builder swaps its form (a question added, moved or removed), the focus goes where
// the server says (the control marked autofocus), as it does when the page loads without JS.
document.addEventListener("htmx:afterSettle", (e) => {
  if (e.detail.requestConfig?.elt?.name !== "op") return; // not the live checks' swap
  const wanted = document.querySelector("#builder-form [autofocus]");
  if (wanted && document.activeElement !== wanted) wanted.focus();
});
