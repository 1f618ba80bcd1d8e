// Dashboard charts (Chart.js, vendored). Data comes from a JSON block in the page, parsed
// with JSON.parse: labels and names are only ever text to Chart.js (drawn on a canvas).
(function () {
  'use strict';
  var source = document.getElementById('dashboard-data');
  if (!source || typeof Chart === 'undefined') { return; }
  var data = JSON.parse(source.textContent);
  var palette = ['#2f80ed', '#27ae60', '#f2994a', '#9b51e0', '#eb5757', '#56ccf2'];
  var common = { responsive: true, animation: false, maintainAspectRatio: true };
  window.boCharts = {};

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { window.boCharts[id] = new Chart(canvas, config); }
  }

  draw('chart-orders', {
    type: 'bar',
    data: { labels: data.labels, datasets: [{ label: 'Orders placed', data: data.orders,
      backgroundColor: palette[0] }] },
    options: Object.assign({}, common, { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } })
  });

  if (data.revenue) {
    var currencies = Object.keys(data.revenue);
    draw('chart-revenue', {
      type: 'line',
      data: { labels: data.labels, datasets: currencies.map(function (cur, i) {
        return { label: cur, data: data.revenue[cur].map(Number), borderColor: palette[i % palette.length],
          backgroundColor: palette[i % palette.length], tension: 0.2, yAxisID: 'y' };
      }) },
      options: Object.assign({}, common, { scales: { y: { beginAtZero: true } } })
    });
  }
  if (data.by_rate) {
    draw('chart-tax-rates', {
      type: 'bar',
      data: { labels: data.by_rate.map(function (r) { return r.label; }), datasets: [
        { label: 'Net', data: data.by_rate.map(function (r) { return Number(r.net); }), backgroundColor: palette[1] },
        { label: 'Tax', data: data.by_rate.map(function (r) { return Number(r.tax); }), backgroundColor: palette[2] }
      ] },
      options: Object.assign({}, common, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } })
    });
  }
})();
