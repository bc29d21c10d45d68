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
