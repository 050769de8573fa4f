// kb check review report (kb/formats/html.py): the severity and rule filters. Inline in the report; allowed by its
// hash in the CSP. Without this script every finding is shown; with it, unticking a box hides those findings'
// cards and takes the colour off their marks in the page text.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) {
    return;
  }
  function ticked(name) {
    var values = {};
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      values[box.value] = box.checked;
    });
    return values;
  }
  function update() {
    var severity = ticked("severity");
    var rule = ticked("rule");
    var on = {};
    var shown = 0;
    var cards = document.querySelectorAll("article.finding");
    cards.forEach(function (card) {
      var visible = severity[card.dataset.severity] === true && rule[card.dataset.rule] === true;
      on[card.dataset.finding] = visible;
      card.classList.toggle("filtered", !visible);
      if (visible) {
        shown += 1;
      }
    });
    document.querySelectorAll("mark[data-finding]").forEach(function (mark) {
      mark.classList.toggle("filtered", !on[mark.dataset.finding]);
    });
    document.querySelectorAll("sup.ref a").forEach(function (link) {
      var number = link.getAttribute("href").slice(3);
      link.parentNode.classList.toggle("filtered", !on[number]);
    });
    document.getElementById("shown").textContent =
      "Showing " + shown + " of " + cards.length + " findings.";
  }
  form.addEventListener("change", update);
  form.hidden = false;
  update();
})();
