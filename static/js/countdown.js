// The mock exam's countdown. Display only: the server decides when time is up. At zero (plus the
// grace the server allows) the page reloads, and the server submits what was saved.
(() => {
  const clock = document.querySelector(".countdown[data-deadline]");
  if (!clock) return;
  const deadline = Number(clock.dataset.deadline);
  const grace = Number(clock.dataset.grace || 0) * 1000;
  const shown = clock.querySelector(".countdown-clock");
  const tick = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    shown.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    if (left <= 300) clock.classList.add("countdown-low");
    if (Date.now() > deadline + grace + 1000) {
      window.location.reload();
      return;
    }
    window.setTimeout(tick, 1000);
  };
  tick();
})();
