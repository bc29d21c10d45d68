// Drag a publication to another day of the calendar to move it (same time of day).
(function () {
  const table = document.querySelector(".pub-calendar");
  if (!table) return;
  const moveUrl = table.dataset.moveUrl;
  const status = document.getElementById("move-status");
  const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  table.addEventListener("dragstart", (e) => {
    const item = e.target.closest("li.pub");
    if (item) e.dataTransfer.setData("text/plain", item.dataset.id);
  });
  table.addEventListener("dragover", (e) => {
    if (e.target.closest("td.day")) e.preventDefault();
  });
  table.addEventListener("drop", async (e) => {
    const cell = e.target.closest("td.day");
    const id = e.dataTransfer.getData("text/plain");
    if (!cell || !id) return;
    e.preventDefault();
    const body = new URLSearchParams({ fecha: cell.dataset.date });
    const resp = await fetch(moveUrl.replace("/0/", "/" + id + "/"), {
      method: "POST", body, headers: { "X-CSRFToken": csrf },
    });
    const data = await resp.json();
    if (resp.ok) {
      cell.querySelector("ul").appendChild(table.querySelector('li.pub[data-id="' + id + '"]'));
      status.textContent = "Publicación movida al " + cell.dataset.date + ".";
    } else {
      status.textContent = data.error || "No se pudo mover.";
    }
  });
})();
