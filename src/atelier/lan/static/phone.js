// atelier — participant pages. Everything works without this script; with it, the page
// follows the workshop (a small state URL polled with ETag / 304) and the +/- buttons of
// a dot ballot count locally instead of reloading the page.
"use strict";
(function () {
  var body = document.body;
  var stateUrl = body.getAttribute("data-state");
  var key = body.getAttribute("data-key");
  var etag = null;

  function typing() {
    var area = document.querySelector("textarea, input[type=text]");
    return area !== null && area.value.trim() !== "";
  }

  function poll() {
    if (!stateUrl) { return; }
    var headers = {};
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(stateUrl, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304) { return null; }
        if (!response.ok) { return null; }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (state) {
        if (state && state.key !== key && !typing()) { window.location.replace(window.location.pathname); }
      })
      .catch(function () { /* the laptop is away for a moment: try again later */ });
  }
  window.setInterval(poll, 3000);

  var ballot = document.querySelector("form.dots");
  if (ballot) {
    var dots = parseInt(ballot.getAttribute("data-dots"), 10);
    var cap = parseInt(ballot.getAttribute("data-cap"), 10);
    var left = document.getElementById("left");
    var inputs = ballot.querySelectorAll("input[data-option]");
    var total = function () {
      var sum = 0;
      inputs.forEach(function (input) { sum += parseInt(input.value, 10) || 0; });
      return sum;
    };
    ballot.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=adjust]");
      if (!button) { return; }
      event.preventDefault();
      var parts = button.value.split(":");
      var input = ballot.querySelector("input[data-option='" + parts[1] + "']");
      var value = parseInt(input.value, 10) || 0;
      if (parts[0] === "plus" && value < cap && total() < dots) { value += 1; }
      if (parts[0] === "minus" && value > 0) { value -= 1; }
      input.value = String(value);
      document.getElementById("count-" + parts[1]).textContent = String(value);
      left.textContent = String(dots - total());
    });
  }
})();
