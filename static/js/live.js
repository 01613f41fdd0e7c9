// The live game's screens (host and player). The server renders every screen; this only keeps the
// page live: it opens the game's WebSocket and swaps in each screen the server pushes, sends answers
// and host controls over it, and when a WebSocket cannot be opened (a network that blocks them) it
// polls the screen over plain HTTP and posts the same forms. Without JavaScript the forms post and
// the page refreshes itself.
(() => {
  const shell = document.querySelector("[data-live-socket]");
  if (!shell) return;
  const pollUrl = shell.dataset.livePoll;
  let socket = null;
  let poller = null;
  let tries = 0;
  let clock = null;

  const notice = (text) => {
    let box = document.querySelector(".live-notice");
    if (!box) {
      box = document.createElement("p");
      box.className = "live-notice";
      box.setAttribute("role", "alert");
      shell.prepend(box);
    }
    box.textContent = text;
  };

  const countdown = () => {
    window.clearInterval(clock);
    const shown = document.querySelector(".live-countdown[data-seconds-left]");
    if (!shown || shown.dataset.paused) return;
    const end = performance.now() + Number(shown.dataset.secondsLeft) * 1000;
    const value = shown.querySelector(".live-countdown-value");
    clock = window.setInterval(() => {
      const left = Math.max(0, Math.ceil((end - performance.now()) / 1000));
      value.textContent = String(left);
      if (left <= 5) shown.classList.add("is-low");
      if (left <= 0) window.clearInterval(clock);
    }, 250);
  };

  // ``onlyIfChanged``: a poll swaps the screen only when its key (phase, question, answered, paused)
  // changed, so ticked boxes and focus survive it.
  const replace = (html, onlyIfChanged = false) => {
    const current = document.getElementById("screen");
    if (!current) return;
    if (onlyIfChanged) {
      const key = /data-key="([^"]*)"/.exec(html);
      if (key && key[1] === current.dataset.key) return;
    }
    const focused = current.contains(document.activeElement);
    current.outerHTML = html;
    const box = document.querySelector(".live-notice");
    if (box) box.remove();
    countdown();
    if (focused) {
      const first = document.querySelector("#screen button, #screen input");
      if (first) first.focus();
    }
  };

  const poll = () => {
    if (poller) return;
    shell.dataset.liveTransport = "polling";
    const once = async () => {
      try {
        const response = await fetch(pollUrl, { headers: { "HX-Request": "true" }, cache: "no-store" });
        if (response.ok) replace(await response.text(), true);
      } catch (error) {
        // offline for a moment: the next poll tries again
      }
    };
    poller = window.setInterval(once, 1500);
  };
  const stopPolling = () => {
    window.clearInterval(poller);
    poller = null;
  };

  const connect = () => {
    const url = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}${shell.dataset.liveSocket}`;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      poll();
      return;
    }
    socket.addEventListener("open", () => {
      tries = 0;
      stopPolling();
      shell.dataset.liveTransport = "websocket";
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.screen) replace(message.screen);
      if (message.answered !== undefined) {
        const answered = document.getElementById("live-answered");
        const players = document.getElementById("live-players");
        if (answered) answered.textContent = String(message.answered);
        if (players) players.textContent = String(message.players);
      }
      if (message.notice) {
        notice(message.notice);
        document.querySelectorAll("#screen button").forEach((button) => { button.disabled = false; });
      }
    });
    socket.addEventListener("close", (event) => {
      socket = null;
      if (event.code >= 4400 && event.code < 4500) {
        window.location.reload(); // no seat, or not the host: the page says why
        return;
      }
      poll();
      tries += 1;
      // jittered, so a server's restart does not bring every phone back in the same instant
      window.setTimeout(connect, Math.min(10000, 500 * 2 ** tries) * (0.5 + Math.random()));
    });
  };

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches(".live-answers, .live-control")) return;
    event.preventDefault();
    const data = new FormData(form);
    if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
    if (form.matches(".live-answers") && data.getAll("choice").length === 0) {
      notice("Choose an answer first.");
      return;
    }
    form.querySelectorAll("button").forEach((button) => { button.disabled = true; });
    if (socket && socket.readyState === WebSocket.OPEN) {
      const position = Number(data.get("position"));
      if (form.matches(".live-answers")) {
        socket.send(JSON.stringify({ position, answer: data.getAll("choice").map(Number) }));
      } else {
        const player = data.get("player");
        socket.send(JSON.stringify({ action: data.get("action"), position, phase: data.get("phase"), player: player ? Number(player) : null }));
      }
      return;
    }
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        headers: { "HX-Request": "true", "X-CSRFToken": shell.dataset.csrf || String(data.get("csrfmiddlewaretoken")) },
      });
      if (response.ok) replace(await response.text());
      else notice(await response.text());
    } catch (error) {
      notice("No connection: try again.");
    }
    form.querySelectorAll("button").forEach((button) => { button.disabled = false; });
  });

  countdown();
  connect();
})();
