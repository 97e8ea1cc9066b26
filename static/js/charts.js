// Draws every chart rendered by templates/components/chart.html. The table stays in the page
// (folded into a disclosure) so every figure is readable without the picture.
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function draw(figure) {
    if (typeof window.Chart === "undefined") return;
    var canvasBox = figure.querySelector(".chart__canvas");
    var script = figure.querySelector('script[type="application/json"]');
    if (!canvasBox || !script) return;
    var spec = JSON.parse(script.textContent);
    var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var text = cssVar("--kern-color-layout-text-default", "#131525");
    var bar = cssVar("--kern-color-action-default", "#1a3da5");
    var grid = "rgba(19, 21, 37, 0.15)";
    canvasBox.hidden = false;
    // Taller for many bars, so labels never overlap on a phone.
    canvasBox.style.height = Math.max(200, 36 * spec.labels.length + 60) + "px";
    new window.Chart(canvasBox.querySelector("canvas"), {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (series) {
          return { label: series.label, data: series.values, backgroundColor: bar, borderColor: bar };
        }),
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) {
                return context.dataset.label + ": " + context.parsed.x + " " + spec.unit;
              },
            },
          },
        },
        scales: {
          x: {
            beginAtZero: true,
            max: spec.max || undefined,
            ticks: { color: text, callback: function (value) { return value + " " + spec.unit; } },
            grid: { color: grid },
          },
          y: {
            grid: { display: false },
            ticks: {
              color: text,
              autoSkip: false,
              // Long course titles are shortened on the axis; the tooltip and the table keep them whole.
              callback: function (value) {
                var label = this.getLabelForValue(value);
                return label.length > 32 ? label.slice(0, 31) + "…" : label;
              },
            },
          },
        },
      },
    });
    var details = figure.querySelector("details.chart__data");
    if (details) details.open = false;
    figure.setAttribute("data-chart-drawn", "true");
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]:not([data-chart-drawn])").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
})();
