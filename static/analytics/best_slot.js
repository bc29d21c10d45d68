/* Pregón: the composer's «mejor momento» suggestions fill the schedule field. */
document.addEventListener("click", function (event) {
  var button = event.target.closest(".best-slot");
  var field = document.getElementById("id_scheduled_at");
  if (!button || !field) return;
  field.value = button.dataset.when;
  field.dispatchEvent(new Event("input", {bubbles: true}));
  field.focus();
});
