// ZIP export progress, fed live by "export.progress" events on the /backoffice namespace.
// WebSocket transport only (as the dashboard). On every (re)connect the page reads the
// current state once, so an update sent before the socket was up is never missed; there
// is no polling.
(function () {
  'use strict';
  var box = document.getElementById('export');
  if (!box) { return; }
  var exportId = box.dataset.exportId;
  var bar = document.getElementById('export-bar');
  var doneText = document.getElementById('export-done');
  var statusText = document.getElementById('export-status-text');
  var download = document.getElementById('export-download');
  var errorText = document.getElementById('export-error');
  var live = document.getElementById('export-live');
  var LABELS = { pending: 'Queued', running: 'Building', done: 'Ready', failed: 'Failed' };

  function setLive(state, css) {
    live.textContent = state;
    live.dataset.state = state;
    live.className = 'badge badge-' + css;
  }

  function show(state) {
    if (!state || state.export_id !== exportId) { return; }
    if (box.dataset.status === 'done' && state.status !== 'done') { return; }  // late event
    var total = state.total || 0;
    var done = Math.min(state.done || 0, total);
    var pct = state.status === 'done' ? 100 : (total ? Math.floor(done * 100 / total) : 0);
    box.dataset.status = state.status;
    box.dataset.done = String(done);
    bar.style.width = pct + '%';
    bar.setAttribute('aria-valuenow', String(pct));
    bar.textContent = pct + '%';
    doneText.textContent = String(done);
    statusText.textContent = LABELS[state.status] || state.status;
    if (state.status === 'done') {
      bar.className = 'progress-bar bg-success';
      download.href = box.dataset.downloadUrl;
      download.classList.remove('d-none');
    } else if (state.status === 'failed') {
      bar.className = 'progress-bar bg-danger';
      errorText.classList.remove('d-none');
    }
  }

  function refresh() {
    fetch(box.dataset.statusUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(show)
      .catch(function () { /* the live events still arrive */ });
  }

  if (typeof io === 'undefined') { setLive('offline', 'secondary'); return; }
  var socket = io(box.dataset.namespace, {
    path: box.dataset.socketioPath,
    transports: ['websocket'],
    withCredentials: true
  });
  socket.on('connect', function () { setLive('live', 'success'); refresh(); });
  socket.on('disconnect', function () { setLive('offline', 'secondary'); });
  socket.on('connect_error', function () { setLive('offline', 'danger'); });
  socket.on('export.progress', show);
})();
