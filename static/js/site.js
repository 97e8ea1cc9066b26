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

  document.addEventListener("DOMContentLoaded", function () {
    markCurrentNav();
    focusErrorSummary(document);
  });

  // htmx swaps: the same focus rule for forms replaced in place.
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
  });
})();
