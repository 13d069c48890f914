// Pages that show a background job at work (a staff import, a print job): fetch the page
// again every few seconds and put its new progress text in place; once the job has
// finished, reload to show the outcome. A <meta http-equiv="refresh"> would reload the
// whole page under the reader while the job runs (WCAG 2.2.1).
(function () {
  const box = document.querySelector("[data-poll-seconds]");
  if (!box) return;
  const wait = Number(box.dataset.pollSeconds) * 1000;
  const poll = async () => {
    let fresh;
    try {
      const response = await fetch(window.location.href, {headers: {"Accept": "text/html"}});
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      fresh = page.getElementById(box.id);
    } catch (error) {
      setTimeout(poll, wait);  // the network was away a moment: try again
      return;
    }
    if (fresh && fresh.hasAttribute("data-poll-seconds")) {
      box.replaceChildren(...fresh.childNodes);
      setTimeout(poll, wait);
    } else {
      window.location.reload();
    }
  };
  setTimeout(poll, wait);
})();
