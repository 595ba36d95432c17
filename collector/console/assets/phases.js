// Charts of the phase pages (console2): a journey's funnel with its failing step marked, and a
// rule's lift (goal rate per group with its 95% interval as whiskers). Both read their numbers
// from data-* attributes; the table beside each chart has the same numbers, for the keyboard
// and screen readers. Imported by console.js, so uPlot is bundled once.
import uPlot from "uplot";

const css = (name, fallback) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
const data = (el, name) => JSON.parse(el.dataset[name] || "[]");
const font = () => `12px ${getComputedStyle(document.body).fontFamily}`;

// Bars on a category axis; MARKED (an index) is drawn in the "bad" colour; LOW/HIGH (optional)
// draw an interval over each bar.
function categoryBars(el, { values, labels, marked = -1, low = [], high = [], percent = false }) {
  const xs = values.map((_, i) => i);
  const accent = css("--accent", "#1f4fb8");
  const bad = css("--bad", "#a11a1a");
  const scale = percent ? 100 : 1;
  const ys = values.map((v) => (v == null ? null : v * scale));
  const top = Math.max(1, ...ys.filter((v) => v != null), ...high.filter((v) => v != null).map((v) => v * scale));
  const whiskers = (u) => {
    const { ctx } = u;
    ctx.save();
    ctx.strokeStyle = css("--ink", "#1b1f24");
    ctx.lineWidth = 1.5;
    xs.forEach((i) => {
      if (low[i] == null || high[i] == null) return;
      const x = u.valToPos(i, "x", true);
      const y0 = u.valToPos(low[i] * scale, "y", true);
      const y1 = u.valToPos(high[i] * scale, "y", true);
      ctx.beginPath();
      ctx.moveTo(x, y0);
      ctx.lineTo(x, y1);
      ctx.moveTo(x - 6, y0);
      ctx.lineTo(x + 6, y0);
      ctx.moveTo(x - 6, y1);
      ctx.lineTo(x + 6, y1);
      ctx.stroke();
    });
    ctx.restore();
  };
  new uPlot(
    {
      width: Math.min(el.clientWidth || 560, 720),
      height: 220,
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      legend: { show: false },
      select: { show: false },
      scales: { x: { time: false, range: [-0.5, values.length - 0.5] }, y: { range: [0, top * 1.1] } },
      axes: [
        { font: font(), values: (u, splits) => splits.map((i) => labels[i] ?? ""), splits: () => xs, gap: 4, size: 40 },
        { font: font(), size: 52, values: (u, splits) => splits.map((v) => (percent ? `${v}%` : String(v))) },
      ],
      series: [
        {},
        {
          stroke: accent,
          width: 0,
          paths: uPlot.paths.bars({
            size: [0.6, 90],
            disp: { fill: { unit: 3, values: () => xs.map((i) => (i === marked ? bad : accent + "cc")) } },
          }),
          points: { show: false },
        },
      ],
      hooks: { draw: [whiskers] },
    },
    [xs, ys],
    el,
  );
}

const DRAW = {
  funnel: (el) =>
    categoryBars(el, { values: data(el, "values"), labels: data(el, "labels"), marked: Number(el.dataset.marked ?? -1) }),
  lift: (el) =>
    categoryBars(el, {
      values: data(el, "values"),
      labels: data(el, "labels"),
      low: data(el, "low"),
      high: data(el, "high"),
      percent: true,
    }),
};

function drawPhaseCharts(root) {
  for (const el of root.querySelectorAll("[data-phase-chart]")) {
    if (!el.dataset.drawn && DRAW[el.dataset.phaseChart]) {
      el.dataset.drawn = "1";
      DRAW[el.dataset.phaseChart](el);
    }
  }
}

document.addEventListener("DOMContentLoaded", () => drawPhaseCharts(document));
document.addEventListener("htmx:afterSwap", (e) => drawPhaseCharts(e.target));

// The events-arriving-now fragment polls on its own; when the session has ended meanwhile, the
// answer is the sign-in page: go there (it says why) instead of swapping it into the fragment.
document.addEventListener("htmx:beforeSwap", (e) => {
  const url = e.detail.xhr.responseURL || "";
  if (url.includes("/console/sign-in")) {
    e.detail.shouldSwap = false;
    location.assign(url);
  }
});
