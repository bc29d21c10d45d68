/* Pregón: small behaviours shared by every page, wired by data attributes (the
   Content-Security-Policy allows no inline scripts or on*= handlers). */
(function () {
  "use strict";
  // <button data-copy-from="ID">: copy that field's text to the clipboard.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-from]");
    if (!button) return;
    var source = document.getElementById(button.dataset.copyFrom);
    if (source && navigator.clipboard) navigator.clipboard.writeText(source.value);
  });
  // [data-reset-confirm]: a changed assignment needs a fresh overlap confirmation.
  document.addEventListener("change", function (event) {
    var box = event.target.closest("[data-reset-confirm]");
    var form = box && box.closest("form");
    if (form && form.elements.confirm) form.elements.confirm.value = "";
  });
})();
