// Selects this browser's time zone in every <select data-browser-zone="fill"> (sign-up, and a profile
// still on UTC), when the list has it. Without JavaScript the select keeps its default, UTC.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll('select[data-browser-zone="fill"]').forEach(function (select) {
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === zone; });
    if (option && !select.closest("form").querySelector(".has-error")) select.value = zone;
  });
})();
