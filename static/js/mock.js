// The mock exam's question page: keyboard shortcuts, striking out options, and what to do when a
// save is refused because the exam is closed. Everything here is an extra: without JavaScript the
// form's buttons do the same work (strike-out aside, which is only an aid).
(() => {
  const form = document.getElementById("mock-form");
  if (!form) return;

  // A save the server refused because the exam is closed (409: submitted in another tab, or time
  // is up) brings a message for the #mock-closed alert: htmx is told to swap it in (it does not swap
  // 4xx by default), and the controls are disabled so nothing else looks saved. countdown.js stops
  // the clock on the same "mock-closed" event.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const detail = event.detail;
    if (detail.xhr.status === 409 && detail.target && detail.target.id === "mock-closed") {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
  document.addEventListener("mock-closed", () => {
    document.querySelectorAll('#mock-form input, #mock-form button, button[form="mock-form"]').forEach((control) => {
      control.disabled = true;
    });
  });

  // Strike out: grey out an option the learner has ruled out, as Pearson VUE's exam screen allows.
  // Kept for this question in this tab (sessionStorage), never sent to the server.
  const storeKey = `studyapp:struck:${window.location.pathname}`;
  const load = () => {
    try {
      return new Set(JSON.parse(window.sessionStorage.getItem(storeKey) || "[]"));
    } catch {
      return new Set();
    }
  };
  const struck = load();
  const show = (row, on) => {
    row.classList.toggle("is-struck", on);
    row.querySelector("button.strike").setAttribute("aria-pressed", on ? "true" : "false");
  };
  form.querySelectorAll(".quiz-option-row").forEach((row) => {
    const button = row.querySelector("button.strike");
    button.hidden = false;
    show(row, struck.has(row.dataset.letter));
    button.addEventListener("click", () => {
      const on = !row.classList.contains("is-struck");
      if (on) struck.add(row.dataset.letter);
      else struck.delete(row.dataset.letter);
      show(row, on);
      try {
        window.sessionStorage.setItem(storeKey, JSON.stringify([...struck]));
      } catch {
        // storage full or disabled: the strike still shows on this page
      }
    });
  });

  // Keyboard: 1-5 or A-E choose, F flags, N and P go to the next and previous question.
  document.querySelectorAll(".keyboard-help[hidden]").forEach((help) => {
    help.hidden = false;
  });
  const click = (selector) => {
    const control = document.querySelector(selector);
    if (!control || control.disabled) return false;
    control.click();
    return true;
  };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    const target = event.target;
    if (target instanceof HTMLElement && target.closest("textarea, select, input[type=text], input[type=search], [contenteditable]")) return;
    const key = event.key.toLowerCase();
    const choice = /^[1-5a-e]$/.test(key) ? CSS.escape(key) : null; // F is the flag, even with a sixth option
    const done =
      (choice && (click(`#mock-form input[data-key="${choice}"]`) || click(`#mock-form input[data-letter="${choice}"]`))) ||
      (key === "f" && click("#flag")) ||
      (key === "n" && click('#mock-form button[name="go"][value="next"]')) ||
      (key === "p" && click('#mock-form button[name="go"][value="prev"]'));
    if (done) event.preventDefault();
  });
})();
