// The hosted checkout page's script: live status without reloading, a countdown, a copy button.
// The page works without it (it then refreshes itself). Served as a file: the policy allows no inline script.
(function () {
  'use strict';
  var main = document.getElementById('checkout');
  if (!main) return;
  var page = main.getAttribute('data-page');
  var lang = document.documentElement.lang;
  var lastState = main.getAttribute('data-state');
  var refreshing = false;
  var pollTimer = null;

  // Re-reads the server-rendered page and swaps in what changed: the role="status" region stays in
  // place (so screen readers announce its new text), the details below it are replaced.
  function refresh() {
    if (refreshing) return;
    refreshing = true;
    fetch(page + '?lang=' + encodeURIComponent(lang), { headers: { Accept: 'text/html' }, cache: 'no-store' })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var next = new DOMParser().parseFromString(html, 'text/html');
        ['checkout-status', 'checkout-live'].forEach(function (id) {
          var here = document.getElementById(id);
          var there = next.getElementById(id);
          if (here && there) {
            here.className = there.className;
            here.innerHTML = there.innerHTML;
          }
        });
        var nextMain = next.getElementById('checkout');
        if (nextMain) {
          main.setAttribute('data-phase', nextMain.getAttribute('data-phase'));
          main.setAttribute('data-final', nextMain.getAttribute('data-final'));
        }
        var reload = document.querySelector('.reload');
        if (reload && main.getAttribute('data-final') === 'true') reload.remove();
        document.title = next.title;
        enhance();
      })
      .catch(function () { /* the next event or poll tries again */ })
      .then(function () { refreshing = false; });
  }

  function stateOf(status) {
    // The same as the page's data-state (null joins as empty).
    return [status.status, status.exceptionStatus, status.amountPaid, status.paymentUri].join('|');
  }

  function onStatus(status) {
    var state = stateOf(status);
    if (state !== lastState) refresh();
    lastState = state;
    syncCountdown(status.secondsLeft);
  }

  // Server-sent events first; when the stream fails (a proxy that buffers, no EventSource), poll /status.
  function listen() {
    if (!window.EventSource) return poll();
    var events = new EventSource(page + '/events');
    events.addEventListener('status', function (event) { onStatus(JSON.parse(event.data)); });
    events.onerror = function () {
      if (events.readyState === EventSource.CLOSED) poll();
    };
  }

  function poll() {
    if (pollTimer) return;
    pollTimer = setInterval(function () {
      fetch(page + '/status', { cache: 'no-store' })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (status) { if (status) onStatus(status); })
        .catch(function () { /* try again on the next tick */ });
    }, 3000);
  }

  // The countdown runs from the server's remaining seconds, not from the payer's clock.
  var deadline = null;
  function syncCountdown(secondsLeft) {
    deadline = Date.now() + secondsLeft * 1000;
  }

  function tick() {
    var countdown = document.getElementById('countdown');
    if (!countdown || deadline === null) return;
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var hours = Math.floor(left / 3600);
    var minutes = Math.floor((left % 3600) / 60);
    var seconds = String(left % 60).padStart(2, '0');
    countdown.textContent = hours > 0 ? hours + ':' + String(minutes).padStart(2, '0') + ':' + seconds : minutes + ':' + seconds;
    if (left === 0 && main.getAttribute('data-final') !== 'true') refresh();
  }

  function enhance() {
    var countdown = document.getElementById('countdown');
    if (countdown) syncCountdown(Number(countdown.getAttribute('data-seconds-left')));
    Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), function (button) {
      var source = document.getElementById(button.getAttribute('data-copy'));
      if (!source || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          button.textContent = button.getAttribute('data-copied');
        });
      });
    });
  }

  enhance();
  setInterval(tick, 1000);
  if (main.getAttribute('data-final') !== 'true') listen();
})();
