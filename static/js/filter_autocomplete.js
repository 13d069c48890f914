"use strict";
// A changelist filter with a search box (registry.admin.AutocompleteFilter): the admin's
// autocomplete.js turns the box into a search; choosing a value opens the list filtered
// by it. select2 announces the choice through jQuery, so the handler is jQuery's too.
{
  const $ = django.jQuery;
  $(function () {
    // select2 shows the box as a textbox of its own; give it the select's name, or a
    // screen reader announces an unnamed field. The admin's script has built it by now.
    $("select.filter-autocomplete").each(function () {
      $(this)
        .next(".select2")
        .find(".select2-selection__rendered")
        .attr("aria-label", this.getAttribute("aria-label"));
    });
    $("select.filter-autocomplete").on("change", function () {
      if (this.value) {
        window.location.href = this.dataset.filterUrl.replace(
          "__value__",
          encodeURIComponent(this.value),
        );
      }
    });
  });
}
