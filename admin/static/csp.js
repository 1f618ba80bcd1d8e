// Behaviour that Flask-Admin's templates wrote as inline handlers, which the
// Content-Security-Policy refuses (no inline script): bound here from data-* attributes.
(function () {
  "use strict";
  // Links that only open a menu or mark the current page: never navigate (a javascript:
  // URL would be refused by the policy, and reported).
  document.querySelectorAll('a[href^="javascript:"]').forEach(function (link) {
    link.setAttribute("href", "#");
    link.setAttribute("data-no-navigation", "");
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-model-action], [data-confirm], [data-no-navigation]");
    if (!target) {
      return;
    }
    if (target.hasAttribute("data-model-action")) {
      event.preventDefault();
      window.modelActions.execute(target.getAttribute("data-model-action"));
    } else if (target.hasAttribute("data-confirm")) {
      if (!window.confirm(target.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    } else {
      event.preventDefault();
    }
  });
})();
