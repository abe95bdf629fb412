// The task page: asks the server every second how the task is going and updates the bar, the count and
// the message; stops once the task is done or failed. Without JavaScript the page reloads itself instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-task-status-url]");
  if (!box) return;
  var url = box.getAttribute("data-task-status-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-task-text]");
  var message = box.querySelector("[data-task-message]");
  var download = box.querySelector("[data-task-download]");
  var link = download.querySelector("a");
  var filename = download.querySelector("[data-task-filename]");

  function over(status) {
    return status === "done" || status === "failed";
  }

  function show(state) {
    box.setAttribute("data-status", state.status);
    bar.max = state.bar_max;
    if (state.bar_value === null) {
      bar.removeAttribute("value");
    } else {
      bar.value = state.bar_value;
    }
    bar.textContent = state.percent + " %";
    bar.hidden = state.status === "failed";
    text.textContent = state.text;
    if (message.textContent !== state.message) message.textContent = state.message;
    if (state.download_url) link.href = state.download_url;
    filename.textContent = state.filename;
    download.hidden = !state.download_url;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (!over(state.status)) window.setTimeout(poll, 1000);
      })
      .catch(function () {
        // No network, or signed out: try again, more slowly.
        window.setTimeout(poll, 5000);
      });
  }

  if (!over(box.getAttribute("data-status"))) window.setTimeout(poll, 1000);
})();
