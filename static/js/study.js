// Keyboard for the review screen, as in Anki: Space shows the answer, 1-4 rate, U undoes.
// Each key clicks the element marked data-key, so the page works the same without this script.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
  const key = event.key === " " ? " " : event.key.toLowerCase();
  const control = document.querySelector(`#card [data-key="${CSS.escape(key)}"]`);
  if (!control) return;
  event.preventDefault();
  control.click();
});
