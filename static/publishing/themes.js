// Composer: «Usar este tema» puts the suggested theme (the one most behind on the
// ticked networks) in the theme field.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-theme-pick]");
  if (!button) return;
  const select = document.getElementById("id_theme");
  if (!select) return;
  select.value = button.dataset.themePick;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  select.focus();
});
