// Live activity on the dashboard: new orders, payments and refunds as a toast, a line in
// the feed and a counter badge; long jobs' progress in their own list. The server sends plain text already worded for people
// (app/live.py); it is only ever set with textContent, never as HTML.
// Socket.IO over WebSocket only (no long-polling: one connection per tab, nothing sticky
// behind a balancer); the client reconnects by itself after a drop, with backoff.
(function () {
  'use strict';
  var feed = document.getElementById('live-feed');
  if (!feed || typeof io === 'undefined') { return; }
  var statusBadge = document.getElementById('live-status');
  var toasts = document.getElementById('bo-toasts');
  var MAX_ITEMS = 100;
  var TOAST_MS = 6000;

  function setStatus(state, css) {
    statusBadge.textContent = state;
    statusBadge.dataset.state = state;
    statusBadge.className = 'badge badge-' + css;
  }

  function bump(counter) {
    document.querySelectorAll('[data-counter="' + counter + '"]').forEach(function (el) {
      var n = parseInt(el.textContent, 10);
      el.textContent = String((isNaN(n) ? 0 : n) + 1);
      el.classList.add('bo-bumped');
    });
  }

  function link(item) {
    var node;
    if (item.url) {
      node = document.createElement('a');
      node.href = item.url;  // a same-site path built by the server
    } else {
      node = document.createElement('span');
    }
    node.textContent = item.text;
    return node;
  }

  function toast(item) {
    if (!toasts) { return; }
    var box = document.createElement('div');
    box.className = 'bo-toast bo-toast-' + (item.level || 'info');
    box.setAttribute('role', 'status');
    box.dataset.kind = item.kind;
    box.appendChild(link(item));
    toasts.appendChild(box);
    setTimeout(function () { box.remove(); }, TOAST_MS);
  }

  function render(item) {
    var empty = document.getElementById('live-empty');
    if (empty) { empty.remove(); }
    var li = document.createElement('li');
    li.className = 'list-group-item bo-feed-item';
    li.dataset.kind = item.kind;
    var time = document.createElement('time');
    time.textContent = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    li.append(time, link(item));
    feed.prepend(li);
    while (feed.children.length > MAX_ITEMS) { feed.lastElementChild.remove(); }
    (item.counters || []).forEach(bump);
    toast(item);
  }

  var socket = io(feed.dataset.namespace, {
    path: feed.dataset.socketioPath,
    transports: ['websocket'],
    withCredentials: true,
    reconnection: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 10000
  });
  // A long job's progress (app/live.py job_progress): one line per run, updated in place,
  // with a native <progress> (read by screen readers); its end also goes to the feed.
  var jobs = document.getElementById('live-jobs');
  var JOB_CSS = {running: 'info', done: 'success', failed: 'danger'};

  function jobProgress(job) {
    if (!jobs || !job || !job.id) { return; }
    var empty = document.getElementById('live-jobs-empty');
    if (empty) { empty.remove(); }
    var key = job.job + ':' + job.id;
    var li = Array.prototype.find.call(jobs.children, function (el) {
      return el.dataset.jobKey === key;
    });
    if (!li) {
      li = document.createElement('li');
      li.className = 'list-group-item bo-job';
      li.dataset.jobKey = key;
      jobs.prepend(li);
    }
    li.dataset.status = job.status;
    li.replaceChildren(link({text: job.text, url: job.url}));
    if (job.total) {
      var bar = document.createElement('progress');
      bar.max = job.total;
      bar.value = Math.min(job.done || 0, job.total);
      bar.className = 'ml-2 align-middle';
      bar.setAttribute('aria-label', job.text);
      li.appendChild(bar);
    }
    li.classList.remove('list-group-item-info', 'list-group-item-success', 'list-group-item-danger');
    li.classList.add('list-group-item-' + (JOB_CSS[job.status] || 'info'));
    if (job.status !== 'running') {
      render({kind: 'job', level: job.status === 'done' ? 'success' : 'danger',
              text: job.text, url: job.url});
    }
  }

  socket.on('connect', function () { setStatus('live', 'success'); });
  socket.on('disconnect', function () { setStatus('reconnecting', 'warning'); });
  socket.on('connect_error', function () { setStatus('offline', 'danger'); });
  socket.on('activity', render);
  socket.on('job_progress', jobProgress);
  // A new fraud review: a warning for whoever watches the dashboard, worded by the server.
  socket.on('fraud_review', function (review) {
    render({kind: 'fraud_review', level: 'warning', text: review.text,
            url: review.url, counters: ['open_fraud_reviews']});
  });
})();
