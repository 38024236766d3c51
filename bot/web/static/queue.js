// Refresh the live queue's rows every 5 seconds; a failed poll keeps the last rows shown.
(function () {
  var body = document.getElementById("queue-rows");
  if (!body) { return; }
  function refresh() {
    fetch(body.dataset.src, {credentials: "same-origin"})
      .then(function (r) {
        if (r.status === 401) { window.location = "/dash/login?next=/dash"; return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) { if (html !== null) { body.innerHTML = html; body.dataset.refreshed = Date.now(); } })
      .catch(function () {});
  }
  setInterval(refresh, 5000);
})();
