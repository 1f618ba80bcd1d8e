// Finance pages: ask before a button marked data-confirm submits (finalise, send, pay,
// void, credit note, bulk ZIP). The server still checks everything.
(function () {
  'use strict';
  document.addEventListener('click', function (evt) {
    var button = evt.target.closest('[data-confirm]');
    if (button && !window.confirm(button.dataset.confirm)) {
      evt.preventDefault();
      evt.stopPropagation();
    }
  }, true);
})();
