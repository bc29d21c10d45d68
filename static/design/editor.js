// The flyer form sends the piece fields too: copy them in just before submitting.
document.getElementById("volante").addEventListener("submit", function (event) {
  const flyer = event.target;
  flyer.querySelectorAll("input[data-copied]").forEach((el) => el.remove());
  new FormData(document.getElementById("pieza")).forEach((value, key) => {
    if (key === "csrfmiddlewaretoken") return;
    const input = document.createElement("input");
    input.type = "hidden"; input.name = key; input.value = value; input.dataset.copied = "1";
    flyer.appendChild(input);
  });
});
// The photo id arrives in the upload form's response; move it into the piece form.
document.body.addEventListener("fotoLista", function () {
  const id = document.querySelector("#foto-estado [data-foto-id]");
  const field = document.querySelector("#pieza input[name=foto]");
  if (id && field) { field.value = id.dataset.fotoId; htmx.trigger("#pieza", "change"); }
});
