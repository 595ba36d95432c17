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

function drawCharts(root) {
  for (const el of root.querySelectorAll('[data-chart="spark"]')) {
    if (!el.dataset.drawn) {
      el.dataset.drawn = "1";
      sparkline(el);
    }
  }
}

document.addEventListener("DOMContentLoaded", () => drawCharts(document));
document.addEventListener("htmx:afterSwap", (e) => drawCharts(e.target));
