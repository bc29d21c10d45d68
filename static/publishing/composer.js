// The publication composer: files dropped on the zone go through the same htmx
// upload as the file picker; «Quitar» takes an item out of the media list. Checks,
// counters and previews are the server's (htmx, debounced): nothing is counted here.
(function () {
  "use strict";
  const form = document.getElementById("composer");
  if (!form) return;
  const zone = document.getElementById("drop-zone");
  const input = document.getElementById("composer-files");

  function mediaChanged() {
    document.body.dispatchEvent(new CustomEvent("composer-media", { bubbles: true }));
  }

  ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (e) => {
    e.preventDefault();
    zone.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((name) => zone.addEventListener(name, (e) => {
    e.preventDefault();
    zone.classList.remove("over");
  }));
  zone.addEventListener("drop", (e) => {
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    input.files = e.dataTransfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // A new upload starts from an empty picker, and the page's saves never carry files.
  document.body.addEventListener("htmx:afterRequest", (e) => {
    if (e.detail.elt === input) input.value = "";
  });

  form.addEventListener("click", (e) => {
    const button = e.target.closest(".media-remove");
    if (!button) return;
    const item = button.closest(".media-item");
    const name = item.querySelector(".media-name").textContent.trim();
    item.remove();
    input.focus();  // the removed button took the focus with it
    document.getElementById("media-status").textContent = "Quitado: " + name + ".";
    mediaChanged();
  });
})();
