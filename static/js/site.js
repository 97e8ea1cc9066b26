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

  var PHONE = window.matchMedia("(max-width: 40rem)");

  // The menu button: on a phone the navigation folds behind it; on wider screens the button
  // hides itself and the navigation stays open. Escape closes the menu and returns focus.
  function setUpMenu() {
    var button = document.querySelector(".site-menu-toggle");
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    button.hidden = false;
    function close() {
      button.setAttribute("aria-expanded", "false");
      nav.classList.add("site-nav--collapsed");
    }
    close();
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      if (open) {
        close();
      } else {
        button.setAttribute("aria-expanded", "true");
        nav.classList.remove("site-nav--collapsed");
      }
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && PHONE.matches) {
        close();
        button.focus();
      }
    });
  }

  // Stacked tables name each value by its column: cells without a data-label get the text of
  // their column header (a header spanning no columns; the first cell is the row's title).
  function labelStackedCells(root) {
    (root || document).querySelectorAll("table.table-stack").forEach(function (table) {
      var headers = table.querySelectorAll("thead tr:first-child > th");
      if (!headers.length) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (cell.tagName !== "TD" || cell.hasAttribute("data-label") || !headers[index]) return;
          var label = headers[index].textContent.trim();
          if (headers[index].querySelector(".kern-sr-only") && label === headers[index].querySelector(".kern-sr-only").textContent.trim()) label = "";
          cell.setAttribute("data-label", label);
        });
      });
    });
  }

  // Filters fold behind their summary on a phone; they stay open when the page arrived with
  // an error to correct.
  function foldFilters(root) {
    if (!PHONE.matches) return;
    (root || document).querySelectorAll("details.filter-fold[open]").forEach(function (details) {
      if (!details.querySelector("[aria-invalid=true]")) details.open = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    labelStackedCells(document);
    foldFilters(document);
    markCurrentNav();
    focusErrorSummary(document);
    applyGeometry(document);
  });

  // htmx swaps: the same rules for content replaced in place.
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
    applyGeometry(event.target);
    labelStackedCells(event.target);
  });
})();
