// Drag a publication to another day of the calendar to move it (same time of day).
(function () {
  const cal = document.querySelector(".cal");
  if (!cal) return;
  const moveUrl = cal.dataset.moveUrl;
  const status = document.getElementById("move-status");
  const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  cal.addEventListener("dragstart", (e) => {
    const item = e.target.closest("li.pub");
    if (item) e.dataTransfer.setData("text/plain", item.dataset.id);
  });
  cal.addEventListener("dragover", (e) => {
    if (e.target.closest("li.cal-day")) e.preventDefault();
  });
  cal.addEventListener("drop", async (e) => {
    const day = e.target.closest("li.cal-day");
    const id = e.dataTransfer.getData("text/plain");
    if (!day || !id) return;
    e.preventDefault();
    const body = new URLSearchParams({ fecha: day.dataset.date });
    const resp = await fetch(moveUrl.replace("/0/", "/" + id + "/"), {
      method: "POST", body, headers: { "X-CSRFToken": csrf },
    });
    const data = await resp.json();
    if (resp.ok) {
      const item = cal.querySelector('li.pub[data-id="' + id + '"]');
      const from = item.closest("li.cal-day");
      day.querySelector("ul.cal-items").appendChild(item);
      from.classList.toggle("empty", !from.querySelector("li.pub"));
      day.classList.remove("empty");
      status.textContent = "Publicación movida al " + day.dataset.date + ".";
    } else {
      status.textContent = data.error || "No se pudo mover.";
    }
  });
})();
