// Draws every [data-chart] element with vega-embed, from the JSON spec beside it, with the plan's number
// and date locale. No inline script (the Content-Security-Policy forbids it) and no eval: Vega runs with
// its expression interpreter (`ast: true`). The data table stays open when a chart cannot be drawn.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function drawCharts() {
    var elements = document.querySelectorAll("[data-chart]");
    if (!elements.length || typeof window.vegaEmbed !== "function") return;
    var locale = readJson("site-locale") || {};
    elements.forEach(function (element) {
      var spec = readJson("spec-" + element.getAttribute("data-chart"));
      if (!spec) return;
      var options = {
        actions: false,
        renderer: "svg",
        ast: true,
        expr: window.vega && window.vega.expressionInterpreter,
        formatLocale: locale.format,
        timeFormatLocale: locale.time,
        tooltip: { theme: "light" }
      };
      window.vegaEmbed(element, spec, options).then(function () {
        var figure = element.closest("figure");
        var details = figure && figure.querySelector("details.chart-data");
        if (details) details.open = false;
        element.classList.add("drawn");
      }).catch(function (error) {
        console.error("chart " + element.getAttribute("data-chart") + ": " + error);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawCharts);
  } else {
    drawCharts();
  }
})();
