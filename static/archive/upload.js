// Drag-and-drop multi-upload: one request per file (so each has its own
// progress bar), two at a time; then poll the worker's status for the batch.
(function () {
  "use strict";
  const form = document.getElementById("subida");
  if (!form) return;
  const zone = document.getElementById("zona");
  const input = document.getElementById("archivos");
  const list = document.getElementById("cola");
  const summary = document.getElementById("resumen");
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const rows = {};      // server id -> row
  const queue = [];
  let active = 0;
  let polling = null;

  function row(file) {
    const li = document.createElement("li");
    li.className = "upload-item";
    const name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.max = 100; bar.value = 0;
    bar.setAttribute("aria-label", "Progreso de " + file.name);
    const state = document.createElement("span");
    state.className = "upload-state";
    state.textContent = "En espera";
    li.append(name, bar, state);
    list.appendChild(li);
    return { li, bar, state };
  }

  function send(file, ui) {
    active += 1;
    const data = new FormData();
    data.append("archivo", file);
    data.append("lote", form.lote.value);
    data.append("area", form.area.value);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) {
        ui.bar.value = Math.round((100 * e.loaded) / e.total);
        ui.state.textContent = "Subiendo " + ui.bar.value + " %";
      }
    };
    xhr.onload = () => {
      active -= 1;
      if (xhr.status === 200) {
        const body = JSON.parse(xhr.responseText);
        rows[body.id] = ui;
        ui.bar.value = 100;
        ui.state.textContent = "Recibido, en cola";
        ui.li.dataset.estado = body.estado;
      } else if (xhr.status === 413) {
        ui.state.textContent = JSON.parse(xhr.responseText).detail;
        ui.li.dataset.estado = "rechazado";
      } else {
        ui.state.textContent = "Error al subir (" + xhr.status + ")";
        ui.li.dataset.estado = "rechazado";
      }
      next();
      poll();
    };
    xhr.onerror = () => { active -= 1; ui.state.textContent = "Error de red"; next(); };
    xhr.send(data);
  }

  function next() {
    while (active < 2 && queue.length) {
      const [file, ui] = queue.shift();
      send(file, ui);
    }
  }

  function add(files) {
    for (const file of files) queue.push([file, row(file)]);
    summary.textContent = "Subiendo " + list.children.length + " archivo(s)…";
    next();
  }

  function poll() {
    if (polling) return;
    polling = setInterval(async () => {
      const url = form.dataset.statusUrl + "?lote=" + encodeURIComponent(form.lote.value);
      const res = await fetch(url, { credentials: "same-origin" });
      if (!res.ok) return;
      const { archivos } = await res.json();
      let done = 0, ok = 0, bad = 0;
      for (const a of archivos) {
        const ui = rows[a.id];
        if (!ui) continue;
        ui.li.dataset.estado = a.estado;
        let text = a.estado_texto;
        if (a.mensaje) text += ": " + a.mensaje;
        ui.state.textContent = text;
        if (a.archivo && !ui.link) {
          ui.link = document.createElement("a");
          ui.link.href = "/archivo/" + a.archivo + "/";
          ui.link.textContent = "Ver";
          ui.li.appendChild(ui.link);
        }
        if (a.estado === "listo") { done += 1; ok += 1; }
        if (a.estado === "rechazado") { done += 1; bad += 1; }
      }
      summary.textContent = done + " de " + list.children.length + " procesados: " + ok + " guardados, " + bad + " rechazados.";
      if (done === list.children.length && !queue.length && !active) {
        clearInterval(polling); polling = null;
      }
    }, 700);
  }

  ["dragenter", "dragover"].forEach((ev) => zone.addEventListener(ev, (e) => {
    e.preventDefault(); zone.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((ev) => zone.addEventListener(ev, (e) => {
    e.preventDefault(); zone.classList.remove("over");
  }));
  zone.addEventListener("drop", (e) => add(e.dataTransfer.files));
  input.addEventListener("change", () => { add(input.files); input.value = ""; });
})();
