// Pricing calculators: after htmx brings a new bill, the messages beside the inputs come with it
// (out of band); mark each input as the server did (aria-invalid, .has-error), without replacing
// the input being typed in. Without JavaScript the whole page comes back already marked.
(() => {
  if (window.studyappPricing) return; // a note with several calculators loads this once per calculator
  window.studyappPricing = true;
  const mark = () => {
    for (const slot of document.querySelectorAll("[data-errors-for]")) {
      const input = document.getElementById(slot.dataset.errorsFor);
      if (!input) continue;
      const invalid = slot.textContent.trim() !== "";
      if (invalid) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      input.closest(".calc-field")?.classList.toggle("has-error", invalid);
    }
  };
  document.addEventListener("htmx:afterSwap", mark);

  // Inputs that count only for some choice (Batch on EC2 has no Fargate inputs) are shown only then;
  // without this script they are all shown, with a note saying so.
  const show = () => {
    for (const field of document.querySelectorAll("[data-when-name]")) {
      const control = field.closest("form")?.elements.namedItem(field.dataset.whenName);
      if (!(control instanceof HTMLSelectElement)) continue;
      field.hidden = !field.dataset.whenValues.split(" ").includes(control.value);
    }
    for (const note of document.querySelectorAll("[data-all-shown]")) note.hidden = true;
  };
  document.addEventListener("change", show);
  document.addEventListener("htmx:afterSwap", show);
  show();
})();
