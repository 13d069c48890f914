// Warn before an idle session ends (SESSION_IDLE_MINUTES) and let the user continue.
// The timings come from data attributes on <body>; without JavaScript the session
// simply ends and the next request asks for the login again.
(function () {
  "use strict";
  var body = document.body;
  // What is left of the session when the page came, and a whole one after continuing.
  var total = parseInt(body.dataset.sessionSeconds || "0", 10);
  var full = parseInt(body.dataset.sessionFullSeconds || "0", 10);
  var warnBefore = parseInt(body.dataset.sessionWarningSeconds || "0", 10);
  var panel = document.getElementById("session-warning");
  if (!total || !panel) {
    return;
  }
  var text = panel.querySelector("[data-session-text]");
  var button = panel.querySelector("button");
  var deadline, warnTimer, endTimer;

  function minutesLeft() {
    return Math.max(1, Math.ceil((deadline - Date.now()) / 60000));
  }

  function warn() {
    text.textContent = "操作がないため、あと約" + minutesLeft() +
      "分で自動的にログアウトします。続ける場合は「ログインを続ける」を押してください。";
    panel.hidden = false;
    button.focus();
  }

  function expired() {
    text.textContent = "一定時間操作がなかったため、ログアウトしました。" +
      "入力中の内容は保存されていません。再度ログインしてください。";
    button.hidden = true;
    panel.hidden = false;
  }

  function start(seconds) {
    deadline = Date.now() + seconds * 1000;
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(warn, Math.max(0, (seconds - warnBefore) * 1000));
    endTimer = setTimeout(expired, seconds * 1000);
  }

  button.addEventListener("click", function () {
    var token = panel.querySelector("input[name=csrfmiddlewaretoken]").value;
    fetch(panel.dataset.keepaliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.ok) {
        panel.hidden = true;
        start(full);
      } else {
        expired();
      }
    }, expired);
  });
  start(total);
})();
