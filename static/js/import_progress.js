// The import progress page (admin 取り込み履歴): poll the record's progress while the
// task worker works, then reload to show the outcome.
(function () {
  const box = document.getElementById("import-progress");
  if (box.dataset.working !== "1") return;
  const poll = async () => {
    const response = await fetch(box.dataset.url, {headers: {"Accept": "application/json"}});
    if (!response.ok) return;
    const data = await response.json();
    document.getElementById("import-bar").value = data.percent;
    document.getElementById("import-count").textContent =
      data.processed_rows + " / " + data.total_rows + " 行";
    document.getElementById("import-state").textContent = data.state_label;
    if (data.working) { setTimeout(poll, 1000); } else { window.location.reload(); }
  };
  setTimeout(poll, 1000);
})();
