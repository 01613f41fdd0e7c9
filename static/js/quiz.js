// Keyboard for a quiz question: 1-5 or A-E choose an option, Enter checks the answer or goes on.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest("textarea, select, input[type=text], input[type=search], [contenteditable]")) return;
  const key = event.key.toLowerCase();
  const option = document.querySelector(`#question input[data-key="${CSS.escape(key)}"], #question input[data-letter="${CSS.escape(key)}"]`);
  if (option) {
    event.preventDefault();
    option.click();
    return;
  }
  if (key === "enter") {
    const go = document.querySelector('#question [data-key="enter"]');
    if (go) {
      event.preventDefault();
      go.click();
    }
  }
});
