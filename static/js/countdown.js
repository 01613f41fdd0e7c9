// The mock exam's countdown. Display only: the server decides when time is up. It counts down the
// seconds the server said were left (the learner's own clock may be wrong), and once they and the
// grace have run out the page reloads, and the server submits what was saved.
(() => {
  const clock = document.querySelector(".countdown[data-seconds-left]");
  if (!clock) return;
  const end = performance.now() + Number(clock.dataset.secondsLeft) * 1000;
  const grace = Number(clock.dataset.grace || 0) * 1000;
  const shown = clock.querySelector(".countdown-clock");
  let stopped = false;
  // The exam was closed elsewhere (mock.js): the clock stops where it is.
  document.addEventListener("mock-closed", () => {
    stopped = true;
    clock.classList.add("countdown-stopped");
  });
  const tick = () => {
    if (stopped) return;
    const left = Math.max(0, Math.round((end - performance.now()) / 1000));
    shown.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    if (left <= 300) clock.classList.add("countdown-low");
    if (performance.now() > end + grace + 1000) {
      window.location.reload();
      return;
    }
    window.setTimeout(tick, 1000);
  };
  tick();
})();
