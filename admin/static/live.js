// Live event feed on the dashboard. Socket.IO over WebSocket only: no long-polling
// fallback, so one connection per tab and nothing to keep sticky behind a balancer.
(function () {
  'use strict';
  var feed = document.getElementById('live-feed');
  if (!feed || typeof io === 'undefined') { return; }
  var statusBadge = document.getElementById('live-status');
  var MAX_ITEMS = 100;

  function setStatus(state, css) {
    statusBadge.textContent = state;
    statusBadge.dataset.state = state;
    statusBadge.className = 'badge badge-' + css;
  }

  function render(evt) {
    var empty = document.getElementById('live-empty');
    if (empty) { empty.remove(); }
    var li = document.createElement('li');
    li.className = 'list-group-item bo-feed-item';
    li.dataset.eventId = evt.id;
    li.dataset.eventType = evt.type;
    var time = document.createElement('time');
    time.textContent = new Date().toISOString().substring(11, 19) + 'Z';
    var type = document.createElement('span');
    type.className = 'bo-type';
    type.textContent = evt.type;
    var payload = document.createElement('code');
    // textContent, never innerHTML: payloads carry user-supplied text.
    payload.textContent = JSON.stringify(evt.payload || {});
    li.append(time, type, payload);
    feed.prepend(li);
    while (feed.children.length > MAX_ITEMS) { feed.lastElementChild.remove(); }
  }

  var socket = io(feed.dataset.namespace, {
    path: feed.dataset.socketioPath,
    transports: ['websocket'],
    withCredentials: true
  });
  socket.on('connect', function () { setStatus('live', 'success'); });
  socket.on('disconnect', function () { setStatus('offline', 'secondary'); });
  socket.on('connect_error', function () { setStatus('offline', 'danger'); });
  socket.on('event', render);
  // A new fraud review: a visible alert for whoever watches the dashboard.
  socket.on('fraud_review', function (review) {
    render({id: review.review_id, type: 'fraud review opened', payload: review});
    var first = feed.firstElementChild;
    if (first) { first.classList.add('list-group-item-warning', 'bo-fraud-alert'); }
  });
})();
