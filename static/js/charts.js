// Charts (srs/charts.py): each chart is one tab stop; the arrow keys move between its points, as
// in a grid. data-chart-keys="arrows": left/right; "grid" (the calendar): up/down a day, left/right
// a week. The calendar's readout shows the day focused or hovered. Without this script the first
// point is still focusable and every point shows its value on hover.
const STEPS = {
  arrows: { ArrowLeft: -1, ArrowRight: 1, ArrowUp: 0, ArrowDown: 0 },
  grid: { ArrowLeft: -7, ArrowRight: 7, ArrowUp: -1, ArrowDown: 1 },
};

function points(chart) {
  return Array.from(chart.querySelectorAll(".chart-point"));
}

function moveTo(from, to) {
  from.setAttribute("tabindex", "-1");
  to.setAttribute("tabindex", "0");
  to.focus();
}

document.addEventListener("keydown", (event) => {
  const point = event.target instanceof Element ? event.target.closest(".chart-point") : null;
  const chart = point?.closest("svg[data-chart-keys]");
  const steps = chart && STEPS[chart.dataset.chartKeys];
  if (!steps) return;
  const all = points(chart);
  const index = all.indexOf(point);
  let next = null;
  if (event.key === "Home") next = 0;
  else if (event.key === "End") next = all.length - 1;
  else if (event.key in steps && steps[event.key] !== 0) next = index + steps[event.key];
  if (next === null) return;
  event.preventDefault();
  if (next >= 0 && next < all.length) moveTo(point, all[next]);
});

function showReadout(event) {
  const point = event.target instanceof Element ? event.target.closest(".chart-point") : null;
  const readout = point?.closest("svg")?.querySelector(".chart-readout");
  if (readout) readout.textContent = point.getAttribute("aria-label");
}
document.addEventListener("focusin", showReadout);
document.addEventListener("mouseover", showReadout);
