// Copy buttons for a new API token: <button data-copy="FIELD-ID" data-copy-status="STATUS-ID"
// data-copied="…" data-copy-failed="…" hidden>. Without script the button stays hidden and
// the read-only field can still be selected and copied by hand.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.copyStatus);
    if (!field) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      field.focus();
      field.select();
      let copied = false;
      try {
        await navigator.clipboard.writeText(field.value);
        copied = true;
      } catch {
        copied = document.execCommand("copy");
      }
      if (status) status.textContent = copied ? button.dataset.copied : button.dataset.copyFailed;
    });
  }
  // Selecting the whole token on focus makes copying by hand one step.
  for (const field of document.querySelectorAll("input[data-select-on-focus]")) {
    field.addEventListener("focus", () => field.select());
  }
});
