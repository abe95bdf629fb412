// The coupon move form: shows only the fields that go with the chosen way of picking coupons
// (series and numbers for booklets or printed numbers, the codes box for scanning), and names the
// numbers field after what is typed in it. Without JavaScript every field stays visible and the
// server ignores the ones that do not apply.
(function () {
  "use strict";
  var form = document.querySelector("form[data-move-form]");
  if (!form) return;
  var radios = form.querySelectorAll("input[name=how]");
  var parts = form.querySelectorAll("[data-how]");

  function chosen() {
    for (var i = 0; i < radios.length; i++) {
      if (radios[i].checked) return radios[i].value;
    }
    return "";
  }

  function relabel(part, how) {
    var text = part.getAttribute("data-label-" + how);
    var label = part.querySelector("label");
    if (!text || !label || !label.firstChild || label.firstChild.nodeType !== Node.TEXT_NODE) return;
    label.firstChild.nodeValue = text;
  }

  function update() {
    var how = chosen();
    if (!how) return; // nothing chosen yet: show everything
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      part.hidden = part.getAttribute("data-how").split(" ").indexOf(how) === -1;
      relabel(part, how);
    }
  }

  for (var i = 0; i < radios.length; i++) radios[i].addEventListener("change", update);
  update();
})();
