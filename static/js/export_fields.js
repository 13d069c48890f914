// The export page's column choices: "すべて選択" toggles every column of the chosen
// content, and only the chosen content's columns are shown. Without script every column
// is shown and checked, and the toggle stays hidden.
document.addEventListener("DOMContentLoaded", () => {
  const rows = Array.from(document.querySelectorAll(".selectable-field-export-row"));
  const selector = document.getElementById("id_resource");
  const toggle = document.getElementById("export-select-all");
  const chosen = () => (selector && selector.tagName === "SELECT" ? selector.value : "0");
  const show = () => {
    rows.forEach((row) => {
      row.hidden = row.dataset.resourceIndex !== chosen();
    });
  };
  if (selector) selector.addEventListener("input", show);
  show();
  if (toggle) {
    toggle.hidden = false;
    toggle.labels.forEach((label) => { label.hidden = false; });
    toggle.addEventListener("change", () => {
      rows.filter((row) => !row.hidden).forEach((row) => {
        row.querySelectorAll('input[type="checkbox"]').forEach((box) => { box.checked = toggle.checked; });
      });
    });
  }
});
