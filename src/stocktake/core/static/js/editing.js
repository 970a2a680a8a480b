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

  // Case, accents and Arabic vowel marks do not matter when filtering: "egypte" finds
  // "Égypte", "الاردن" finds "الأردن".
  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
  }

  // Type-to-filter for a long drop-down list (a partner's country): the options that do not
  // match are taken out of the list; the chosen one always stays.
  function setUpSelectFilter(input, select) {
    const options = Array.from(select.options);
    input.addEventListener("input", function () {
      const needle = fold(input.value.trim());
      const chosen = select.value;
      select.replaceChildren(...options.filter(function (option) {
        return !needle || option.value === "" || option.value === chosen ||
          fold(option.textContent).includes(needle);
      }));
      select.value = chosen;
    });
  }

  // Type-to-filter for long lists of choices (Action Lines, countries, SDG targets,
  // technologies). A sub-term that matches keeps its parent term in view (C7.4 under C7).
  function setUpChoiceFilter(input, container) {
    input.addEventListener("input", function () {
      const needle = fold(input.value.trim());
      const items = new Set();
      container.querySelectorAll("label").forEach(function (label) {
        const choice = label.querySelector("input");
        if (!choice) return; // a group heading (an SDG goal) or an evidence box
        const item = label.closest("div") || label;
        const match = !needle || fold(label.textContent).includes(needle) || choice.checked;
        item.hidden = !match;
        items.add(item);
      });
      items.forEach(function (item) {
        if (item.hidden) return;
        for (let up = item.parentElement; up && up !== container; up = up.parentElement) {
          if (items.has(up)) up.hidden = false;
        }
      });
    });
  }

  function setUpFilter(input) {
    const target = document.getElementById(input.dataset.filterTarget);
    if (!target) return;
    input.hidden = false;
    // Typing in the box is not an edit of the entry: no autosave, no submitting on Enter.
    input.addEventListener("input", function (event) { event.stopPropagation(); });
    input.addEventListener("change", function (event) { event.stopPropagation(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    if (target.tagName === "SELECT") {
      setUpSelectFilter(input, target);
    } else {
      setUpChoiceFilter(input, target);
    }
  }

  // The optional evidence for an SDG goal or target, shown under it as soon as it is ticked
  // (without this script the box appears once the page has been saved). A box whose goal or
  // target is unticked is hidden, not emptied, so re-ticking brings the text back. The
  // boxes' field names are the prefix and the code: "goal_evidence_16", "evidence_16.9".
  function setUpEvidence(boxes) {
    const list = document.getElementById(boxes.dataset.evidenceFor);
    const labelTemplate = boxes.dataset.evidenceLabel || "{code}";
    const prefix = boxes.dataset.evidencePrefix || "evidence_";
    if (!list) return;

    function makeBox(code) {
      const field = document.createElement("div");
      field.className = "field field-textarea";
      const label = document.createElement("label");
      label.className = "field-label";
      label.htmlFor = "id_" + prefix + code;
      label.textContent = labelTemplate.replace("{code}", code);
      const area = document.createElement("textarea");
      area.name = prefix + code;
      area.id = "id_" + prefix + code;
      area.rows = 2;
      area.maxLength = 2000;
      field.append(label, area);
      return field;
    }

    function place(checkbox) {
      const code = checkbox.value;
      const area = document.getElementById("id_" + prefix + code);
      let field = area && area.closest(".field");
      if (!field) {
        if (!checkbox.checked) return;
        field = makeBox(code);
      }
      field.classList.add("evidence-field");
      const item = checkbox.closest("div");
      if (item && field.parentElement !== item) item.appendChild(field);
      field.hidden = !checkbox.checked;
    }

    list.querySelectorAll("input[type=checkbox]").forEach(function (checkbox) {
      place(checkbox);
      checkbox.addEventListener("change", function () { place(checkbox); });
    });
  }

  // Autosave: htmx leaves 4xx answers unswapped by default; ours carry the reason it was not
  // saved (someone else saved meanwhile, a field needs attention), so let them through to
  // the status region. Anything else (no answer, a login page after the session ended)
  // gets the form's own message, so that a failed save is never silent.
  function isAutosave(event) {
    const form = event.detail && event.detail.elt;
    return form && form.matches && form.matches("form.entry-form[hx-post]");
  }

  function showFailure(form) {
    const status = document.getElementById("save-status");
    if (!status) return;
    const message = document.createElement("p");
    message.className = "save-failed";
    message.dataset.autosaveOutcome = "failed";
    message.textContent = form.dataset.autosaveFailed || "";
    status.replaceChildren(message);
  }

  function fromAutosave(xhr) {
    return xhr && /data-autosave-outcome=/.test(xhr.responseText || "");
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!isAutosave(event)) return;
    const ours = fromAutosave(event.detail.xhr);
    event.detail.shouldSwap = ours; // not, say, a login page's title over this page's
    if (ours) event.detail.isError = false;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (isAutosave(event) && !fromAutosave(event.detail.xhr)) showFailure(event.detail.elt);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-word-count]").forEach(setUpWordCount);
    document.querySelectorAll("input.choice-filter").forEach(setUpFilter);
    document.querySelectorAll("[data-evidence-for]").forEach(setUpEvidence);
  });
})();
