// Draws the otpauth:// URI as a QR code in the browser (the secret never leaves the page).
(function () {
  'use strict';
  var holder = document.querySelector('.bo-qr[data-otpauth]');
  if (!holder || typeof qrcode === 'undefined') { return; }
  var qr = qrcode(0, 'M');
  qr.addData(holder.dataset.otpauth);
  qr.make();
  holder.innerHTML = qr.createSvgTag({ cellSize: 4, margin: 2, scalable: true });
})();
