// Main menu: on phones a «Menú» button shows or hides it (all groups open);
// on wider screens each group is a drop-down and only one stays open.
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var button = document.querySelector(".menu-button");
  var nav = document.getElementById("menu-principal");
  if (!header || !button || !nav) return;
  var groups = Array.prototype.slice.call(nav.querySelectorAll(".nav-group details"));
  var phone = window.matchMedia("(max-width: 640px)");

  header.classList.add("nav-js");
  button.hidden = false;

  function setMenu(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
    groups.forEach(function (details) { details.open = open; });
  }

  button.addEventListener("click", function () {
    setMenu(button.getAttribute("aria-expanded") !== "true");
  });

  groups.forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (phone.matches || !details.open) return;
      groups.forEach(function (other) { if (other !== details) other.open = false; });
    });
  });

  document.addEventListener("click", function (event) {
    if (phone.matches || nav.contains(event.target)) return;
    groups.forEach(function (details) { details.open = false; });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || phone.matches) return;
    groups.forEach(function (details) {
      if (details.open) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
  });

  phone.addEventListener("change", function () { setMenu(false); });
})();

// A table wider than its box scrolls inside it (CSS); make that box reachable and
// scrollable from the keyboard, and name it for screen readers.
(function () {
  "use strict";
  function label(table) {
    var caption = table.querySelector("caption");
    var text = caption ? caption.textContent.trim() : "";
    return text ? "Tabla: " + text : "Tabla desplazable";
  }
  function mark() {
    document.querySelectorAll("main table, .table-scroll").forEach(function (box) {
      var overflow = getComputedStyle(box).overflowX;
      var scrolls = (overflow === "auto" || overflow === "scroll") &&
        box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
        if (box.tagName !== "TABLE") {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", label(box.querySelector("table") || box));
        }
      } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(mark, 150);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();

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
