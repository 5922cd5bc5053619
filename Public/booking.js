// Progressive enhancement for the customer booking pages. Every page works without it.
// 1. Where the browser's time zone differs from the business's, `.zone-note` elements (data-zone:
//    the business's IANA zone, data-start: an RFC 3339 instant) say what that time is locally.
// 2. On checkout, `#hold-countdown` (data-expires: RFC 3339) counts the hold down; when it runs out
//    it says so and shows the link to pick a time again (the server renders both texts).
(function () {
  "use strict";

  var browserZone = "";
  try { browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { browserZone = ""; }

  function format(date, zone, withDay) {
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone };
    if (withDay) { options.weekday = "short"; options.day = "numeric"; options.month = "short"; }
    return new Intl.DateTimeFormat("en-GB", options).format(date);
  }

  document.querySelectorAll(".zone-note[data-zone]").forEach(function (note) {
    var zone = note.getAttribute("data-zone");
    if (!browserZone || !zone || browserZone === zone) return;
    var text = "Your device is set to " + browserZone + ".";
    var start = note.getAttribute("data-start");
    var date = start ? new Date(start) : null;
    if (date && !isNaN(date.getTime())) {
      try {
        text = "Your device is set to " + browserZone + ": " + format(date, zone, false) + " " + zone + " time is "
          + format(date, browserZone, true) + " your time.";
      } catch (e) { /* an unknown zone: keep the short sentence */ }
    }
    note.textContent = text;
    note.hidden = false;
  });

  var countdown = document.getElementById("hold-countdown");
  if (countdown) {
    var expires = new Date(countdown.getAttribute("data-expires") || "").getTime();
    var left = countdown.querySelector(".hold-left");
    var expired = countdown.querySelector(".hold-expired");
    if (!isNaN(expires) && left && expired) {
      var timer = null;
      var tick = function () {
        // Read the attribute each time, so the expiry the page was rendered with stays the source of truth.
        var until = new Date(countdown.getAttribute("data-expires") || "").getTime();
        var seconds = Math.floor(((isNaN(until) ? expires : until) - Date.now()) / 1000);
        if (seconds <= 0) {
          if (timer !== null) clearInterval(timer);
          left.parentNode.hidden = true;
          expired.hidden = false;
          expired.setAttribute("role", "alert");
          return;
        }
        var minutes = Math.floor(seconds / 60), rest = seconds % 60;
        left.textContent = (minutes > 0 ? minutes + " min " : "") + (rest < 10 && minutes > 0 ? "0" : "") + rest + " s";
      };
      tick();
      timer = setInterval(tick, 1000);
    }
  }
})();
