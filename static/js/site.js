// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Mark the navigation entry for the current area, so screen readers hear "current page" and
  // sighted users see the underline. The longest matching prefix wins (/staff/equipment/ over /staff/).
  function markCurrentNav() {
    var links = document.querySelectorAll(".site-nav__list a[href]");
    var path = window.location.pathname;
    var best = null;
    var bestLength = -1;
    links.forEach(function (link) {
      var href = link.getAttribute("href");
      var matches = href === "/" ? path === "/" : path.indexOf(href) === 0;
      if (matches && href.length > bestLength) {
        best = link;
        bestLength = href.length;
      }
    });
    if (best && !document.querySelector('.site-nav__list [aria-current="page"]')) {
      best.setAttribute("aria-current", "page");
    }
  }

  // After a failed submit, move focus to the error summary so keyboard and screen-reader users
  // land on the list of what to fix.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  // Bars and timelines carry their geometry as data attributes (percent): the Content Security
  // Policy forbids style="" in markup, but styles set from a script file are allowed.
  function applyGeometry(root) {
    (root || document).querySelectorAll("[data-left], [data-width]").forEach(function (el) {
      var left = parseFloat(el.getAttribute("data-left"));
      var width = parseFloat(el.getAttribute("data-width"));
      if (!isNaN(left)) el.style.left = left + "%";
      if (!isNaN(width)) el.style.width = width + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    markCurrentNav();
    focusErrorSummary(document);
    applyGeometry(document);
  });

  // htmx swaps: the same rules for content replaced in place.
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
    applyGeometry(event.target);
  });
})();
