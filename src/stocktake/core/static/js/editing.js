// Progressive enhancements for the entry form. The form works without them.
(function () {
  "use strict";

  function countWords(text) {
    const words = text.trim().match(/[\p{L}\p{N}_]+/gu);
    return words ? words.length : 0;
  }

  // Live word count against the guidance, e.g. data-word-count="150-200".
  function setUpWordCount(area) {
    const [low, high] = area.dataset.wordCount.split("-").map(Number);
    const output = document.createElement("p");
    output.className = "word-count";
    output.id = area.id + "_count";
    output.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", output);
    const describedBy = (area.getAttribute("aria-describedby") || "") + " " + output.id;
    area.setAttribute("aria-describedby", describedBy.trim());
    const form = area.closest("form");
    const template = (form && form.dataset.wordCountTemplate) || "{count} / {low}–{high}";
    function update() {
      const count = countWords(area.value);
      output.textContent = template
        .replace("{count}", count).replace("{low}", low).replace("{high}", high);
      output.classList.toggle("word-count-off", count < low || count > high);
    }
    area.addEventListener("input", update);
    update();
  }

  // Type-to-filter for long lists of choices (countries, SDG targets, technologies).
  function setUpFilter(input) {
    const container = document.getElementById(input.dataset.filterTarget);
    if (!container) return;
    input.hidden = false;
    input.addEventListener("input", function () {
      const needle = input.value.trim().toLocaleLowerCase();
      container.querySelectorAll("label").forEach(function (label) {
        if (!label.querySelector("input")) return; // a group heading (an SDG goal)
        const item = label.closest("div") || label;
        const match = !needle || label.textContent.toLocaleLowerCase().includes(needle) ||
          (label.querySelector("input:checked") !== null);
        item.hidden = !match;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-word-count]").forEach(setUpWordCount);
    document.querySelectorAll("input.choice-filter").forEach(setUpFilter);
  });
})();
