// Suggestion panels refresh while staff type (the server ranks and renders them), and
// "項目を追加" clones the formset's empty form. Without JS the page works by posting.
(function () {
  const form = document.querySelector("form[data-suggest-url]");
  if (!form) return;
  const url = form.dataset.suggestUrl;

  function wire(fieldset) {
    const panel = fieldset.querySelector(".suggestions-body");
    const sources = fieldset.querySelectorAll("[data-suggest-source]");
    let timer;
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const text = Array.from(sources, (source) => source.value).join("\n");
        const response = await fetch(url + "?text=" + encodeURIComponent(text));
        if (response.ok) panel.innerHTML = await response.text();
      }, 300);
    };
    sources.forEach((source) => source.addEventListener("input", refresh));
  }

  document.querySelectorAll("fieldset.report-item").forEach(wire);

  const add = document.getElementById("add-item");
  const total = document.getElementById("id_items-TOTAL_FORMS");
  add.hidden = false;
  add.addEventListener("click", () => {
    const index = Number(total.value);
    const holder = document.createElement("div");
    holder.innerHTML = document.getElementById("empty-item").innerHTML.replace(/__prefix__/g, index);
    const fieldset = holder.firstElementChild;
    document.getElementById("items").appendChild(fieldset);
    total.value = index + 1;
    wire(fieldset);
    fieldset.querySelector("input:not([type=hidden]), textarea, select").focus();
  });
})();
