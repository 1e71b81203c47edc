// The review queue's keys (factbase/admin/review.py): p publish, r reject (focus the reason),
// b send back (focus the note), n or j next, k previous; Esc leaves a text box. Keys typed
// into a text box are text; Enter there submits its own form.
(function () {
  "use strict";
  function click(id) {
    const element = document.getElementById(id);
    if (element) element.click();
  }
  function focus(id) {
    const element = document.getElementById(id);
    if (element) element.focus();
  }
  function go(id) {
    const link = document.getElementById(id);
    if (link) window.location.assign(link.href);
  }
  document.addEventListener("keydown", function (event) {
    const target = event.target;
    const typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
    if (typing) {
      if (event.key === "Escape") target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const actions = {
      p: function () { click("fb-review-publish"); },
      r: function () { focus("fb-review-reason"); },
      b: function () { focus("fb-review-note"); },
      n: function () { go("fb-review-next"); },
      j: function () { go("fb-review-next"); },
      k: function () { go("fb-review-previous"); },
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
})();
