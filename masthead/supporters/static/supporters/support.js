// The Support form: show only the suggested amounts of the chosen kind of gift, and forget a
// suggestion (or a typed amount) that no longer applies. Without JavaScript every amount shows.
(function () {
  var form = document.querySelector(".donation-form");
  if (!form) return;
  function update() {
    var kind = form.querySelector("input[name=kind]:checked");
    form.querySelectorAll(".presets").forEach(function (group) {
      var shown = !kind || group.dataset.kind === kind.value;
      group.hidden = !shown;
      if (!shown) group.querySelectorAll("input").forEach(function (input) { input.checked = false; });
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "kind") update();
    if (event.target.name === "preset") form.querySelector("input[name=amount]").value = "";
  });
  form.querySelector("input[name=amount]").addEventListener("input", function () {
    form.querySelectorAll("input[name=preset]").forEach(function (input) { input.checked = false; });
  });
  update();
})();
