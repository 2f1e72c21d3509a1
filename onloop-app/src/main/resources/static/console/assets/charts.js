// Draws the overview's chart from the JSON in the canvas's data-chart attribute (no inline script),
// and again whenever htmx swaps in a fresh overview. The canvas has no id on purpose: htmx copies
// the attributes of same-id elements while settling, and the style Chart.js puts on the old canvas
// would then be an inline style attribute, which the Content-Security-Policy refuses.
(function () {
  "use strict";
  var chart = null;

  function color(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function draw() {
    var canvas = document.querySelector("canvas[data-chart]");
    if (!canvas || !window.Chart) { return; }
    var data = JSON.parse(canvas.getAttribute("data-chart"));
    if (chart) { chart.destroy(); }
    var ink = color("--muted");
    var grid = color("--line");
    chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: [{ label: "events", data: data.values,
        backgroundColor: color("--accent"), borderRadius: 2 }] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { ticks: { color: ink, maxRotation: 0, autoSkip: true, maxTicksLimit: 8 }, grid: { display: false } },
          y: { beginAtZero: true, ticks: { color: ink, precision: 0 }, grid: { color: grid } }
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
  if (window.matchMedia) {
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", draw);
  }
})();
