// The market manager's entry. On the stack page, each code scanned (a keyboard-wedge scanner types the
// code, then Enter) or typed is checked at once by the server, which records nothing; the line shows in
// its colour with a word and a sound, the totals by value follow, a code already in the stack is flagged,
// and any line can be removed before the stack is saved. Each line carries its own random key, so the
// same stack sent twice is recorded once. No line is ever lost: the stack waits in the tab's sessionStorage
// (by market) until its summary page has loaded, and comes back when the page is opened again (after a
// session that expired at saving, a reload, a crash); a save the server refused shows the page again with
// the lines it received. Saving waits for a vendor and a line, and a stack holds at most data-max-lines
// lines. On the counts page, the total follows the numbers typed. On the summary, a print button.
// Without JavaScript: a box of codes and a preview page, served by the server.
(function () {
  "use strict";

  var lang = document.documentElement.lang === "en" ? "en-CA" : "fr-CA";
  var money = new Intl.NumberFormat(lang, { style: "currency", currency: "CAD" });

  function formatCents(cents) {
    return money.format(cents / 100);
  }

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) {
      return values[name];
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Sound, made on the spot (no audio file): one high beep when the coupon is taken, two low beeps when
  // it is refused, one middle beep when it needs a look (flagged, or not checked).
  var audio = null;
  var BEEPS = {
    ok: [[1320, 0, 0.12]],
    refused: [[220, 0, 0.16], [220, 0.26, 0.16]],
    review: [[660, 0, 0.3]]
  };

  function beep(tone) {
    document.body.setAttribute("data-last-beep", tone);
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      audio = audio || new Context();
      if (audio.state === "suspended") audio.resume();
      var start = audio.currentTime;
      (BEEPS[tone] || BEEPS.review).forEach(function (b) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = "square";
        osc.frequency.value = b[0];
        gain.gain.setValueAtTime(0.0001, start + b[1]);
        gain.gain.exponentialRampToValueAtTime(0.2, start + b[1] + 0.01);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + b[1] + b[2]);
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(start + b[1]);
        osc.stop(start + b[1] + b[2] + 0.02);
      });
    } catch (e) {
      // No sound here: the colour and the words still say it.
    }
  }

  function newKey() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    var text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // What the server will read in a line, roughly, so that the same code typed twice is flagged before the
  // server answers (its answer then gives the exact form). A QR holds the coupon's address: keep the end.
  function roughKey(typed) {
    var text = typed.trim();
    if (text.indexOf("/") !== -1) text = text.split(/[?#]/)[0].replace(/\/+$/, "").split("/").pop();
    return text.toUpperCase().replace(/[\s.\-\u2010-\u2013]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0");
  }

  // The stack waiting to be saved, by market: {stack, vendor, lines: [{key, typed}]}.
  function storageKey(market) {
    return "pcn.market-entry." + market;
  }

  function stored(market) {
    try {
      var data = JSON.parse(window.sessionStorage.getItem(storageKey(market)) || "null");
      return data && Array.isArray(data.lines) ? data : null;
    } catch (e) {
      return null; // storage refused or unreadable: nothing to bring back
    }
  }

  function store(market, data) {
    try {
      if (data && data.lines.length) window.sessionStorage.setItem(storageKey(market), JSON.stringify(data));
      else window.sessionStorage.removeItem(storageKey(market));
    } catch (e) {
      // Storage full or refused: the page still works, it just cannot bring the stack back.
    }
  }

  var STACK_KEY = /^[A-Za-z0-9_-]{8,32}$/;
  var LINE_KEY = /^[A-Za-z0-9_-]{1,24}$/;

  function stackEntry(form) {
    var words = form.dataset;
    var market = words.market;
    var maxLines = parseInt(words.maxLines, 10);
    var stackInput = form.querySelector("input[name=stack]");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var vendor = form.querySelector("select[name=vendor]");
    var scan = form.querySelector("#scan");
    var list = form.querySelector("[data-lines]");
    var empty = form.querySelector("[data-empty]");
    var last = form.querySelector("[data-last]");
    var save = form.querySelector("[data-save]");
    var notice = form.querySelector("[data-unauthorized-notice]");
    var posted = form.querySelector("[data-posted]");
    var reason = form.querySelector("[data-save-reason]");
    var full = form.querySelector("[data-full]");
    var restoredBox = form.querySelector("[data-restored]");
    var notAdded = ""; // what the scanner or a paste brought when the stack was full
    var blocked = true; // no vendor, no line, or too many lines: saving waits
    var unauthorized = words.unauthorized.trim().split(/\s+/);
    var lines = []; // {key, typed, rough, state: pending|done|vendor|offline|session, result, error, gen, fresh}
    var lastLine = null;
    var saving = false;

    form.querySelector("[data-without-js]").hidden = true;
    form.querySelector("textarea[name=codes]").disabled = true;
    form.querySelector("[data-with-js]").hidden = false;

    function duplicates() {
      var first = {};
      var of = {};
      lines.forEach(function (line, i) {
        var same = line.result ? line.result.key : line.rough;
        if (first[same]) of[line.key] = first[same];
        else first[same] = i + 1;
      });
      return of;
    }

    function toneOf(line, duplicateOf) {
      if (duplicateOf) return "refused";
      if (line.state !== "done") return "pending";
      return line.result.tone;
    }

    function verdict(line, tone) {
      if (tone === "ok") return words.wordOk;
      if (tone === "refused") return words.wordRefused;
      if (tone === "review") return line.result.outcome === "review" ? words.wordExamine : words.wordReview;
      return line.state === "pending" ? words.wordPending : "…";
    }

    function message(line, duplicateOf) {
      if (duplicateOf) return fill(words.msgDuplicate, { line: duplicateOf });
      if (line.state === "done") return line.result.message;
      if (line.state === "vendor") return line.error || words.msgVendor;
      if (line.state === "offline") return words.msgOffline;
      if (line.state === "session") return words.msgSession;
      return "";
    }

    function counted(line, tone) {
      return (tone === "ok" || tone === "review") && line.result && line.result.outcome === "accepted";
    }

    function head(line, tone) {
      var p = element("p", "line-head");
      p.appendChild(element("span", "code", line.result ? line.result.code : line.typed));
      p.appendChild(element("span", "verdict", verdict(line, tone)));
      if (counted(line, tone)) p.appendChild(element("span", "line-value", formatCents(line.result.value_cents)));
      return p;
    }

    function item(line, number, duplicateOf) {
      var tone = toneOf(line, duplicateOf);
      var li = element("li", "line " + tone);
      li.setAttribute("data-line", number);
      li.appendChild(element("span", "line-no", String(number)));
      var body = element("div", "line-body");
      body.appendChild(head(line, tone));
      var text = message(line, duplicateOf);
      if (text) body.appendChild(element("p", "line-msg", text));
      li.appendChild(body);
      var remove = element("button", "small danger", words.wordRemove);
      remove.type = "button";
      remove.setAttribute("aria-label", fill(words.wordRemoveLine, { line: number }));
      remove.addEventListener("click", function () {
        lines.splice(lines.indexOf(line), 1);
        render();
        scan.focus();
      });
      li.appendChild(remove);
      return li;
    }

    // The lines go to the server in the order scanned (the list shows the newest first).
    function post() {
      posted.textContent = "";
      lines.forEach(function (line) {
        [["code", line.typed], ["line", line.key]].forEach(function (pair) {
          var input = element("input");
          input.type = "hidden";
          input.name = pair[0];
          input.value = pair[1];
          posted.appendChild(input);
        });
      });
    }

    function render() {
      var of = duplicates();
      var byValue = {};
      var count = 0;
      var value = 0;
      var refused = 0;
      var review = 0;
      post();
      list.textContent = "";
      for (var i = lines.length - 1; i >= 0; i--) list.appendChild(item(lines[i], i + 1, of[lines[i].key]));
      lines.forEach(function (line) {
        var tone = toneOf(line, of[line.key]);
        if (counted(line, tone)) {
          var cents = line.result.value_cents;
          byValue[cents] = (byValue[cents] || 0) + 1;
          count += 1;
          value += cents;
        }
        if (tone === "refused") refused += 1;
        if (tone === "review") review += 1;
      });
      var rows = form.querySelector("[data-totals-rows]");
      rows.textContent = "";
      Object.keys(byValue).map(Number).sort(function (a, b) { return a - b; }).forEach(function (cents) {
        var tr = element("tr");
        tr.appendChild(element("td", "", formatCents(cents)));
        tr.appendChild(element("td", "num", String(byValue[cents])));
        tr.appendChild(element("td", "num", formatCents(cents * byValue[cents])));
        rows.appendChild(tr);
      });
      form.querySelector("[data-total-count]").textContent = String(count);
      form.querySelector("[data-total-value]").textContent = formatCents(value);
      form.querySelector("[data-refused]").textContent = String(refused);
      form.querySelector("[data-review]").textContent = String(review);
      form.querySelector("[data-refused-part]").hidden = !refused;
      form.querySelector("[data-review-part]").hidden = !review;
      form.querySelector("[data-others-and]").hidden = !(refused && review);
      form.querySelector("[data-others]").hidden = !(refused || review);
      empty.hidden = lines.length > 0;
      var why = "";
      if (!vendor.value && !lines.length) why = words.reasonBoth;
      else if (!vendor.value) why = words.reasonVendor;
      else if (!lines.length) why = words.reasonLines;
      else if (lines.length > maxLines) {
        why = fill(words.reasonOver, { max: maxLines, count: lines.length, extra: lines.length - maxLines });
      }
      blocked = Boolean(why);
      save.disabled = blocked || saving;
      reason.textContent = why;
      reason.hidden = !why;
      if (lines.length < maxLines) notAdded = "";
      full.textContent = notAdded || (lines.length >= maxLines ? fill(words.msgFull, { max: maxLines }) : "");
      full.hidden = !full.textContent;
      store(market, {
        stack: stackInput.value,
        vendor: vendor.value,
        lines: lines.map(function (line) { return { key: line.key, typed: line.typed }; })
      });
      last.textContent = "";
      if (lastLine && lines.indexOf(lastLine) !== -1 && (lastLine.state !== "pending" || of[lastLine.key])) {
        var number = lines.indexOf(lastLine) + 1;
        var tone = toneOf(lastLine, of[lastLine.key]);
        var box = element("div", "verdict-box " + tone);
        var title = element("p", "verdict", verdict(lastLine, tone) + " ");
        title.appendChild(element("span", "code", lastLine.result ? lastLine.result.code : lastLine.typed));
        box.appendChild(title);
        var text = message(lastLine, of[lastLine.key]);
        if (text) box.appendChild(element("p", "", text));
        box.setAttribute("data-line", number);
        last.appendChild(box);
      }
      return of;
    }

    // Answers for many lines at once (a stack brought back, a change of vendor) are drawn together.
    var drawing = 0;
    function renderSoon() {
      if (!drawing) drawing = window.setTimeout(function () { drawing = 0; render(); }, 30);
    }

    function answered(line) {
      if (!line.fresh) {
        renderSoon();
        return;
      }
      var of = render();
      line.fresh = false;
      var tone = toneOf(line, of[line.key]);
      beep(tone === "pending" ? "review" : tone);
    }

    function check(line) {
      var gen = ++line.gen;
      if (!vendor.value) {
        line.state = "vendor";
        line.error = "";
        if (line.fresh) {
          line.fresh = false;
          beep("review");
        }
        return;
      }
      line.state = "pending";
      var body = new URLSearchParams();
      body.append("vendor", vendor.value);
      body.append("code", line.typed);
      fetch(words.checkUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, "Accept": "application/json" }
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected || response.status === 403) throw new Error("session");
        if (type.indexOf("application/json") === -1) throw new Error("offline");
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      }).then(function (answer) {
        if (gen !== line.gen || lines.indexOf(line) === -1) return;
        if (answer.ok) {
          line.state = "done";
          line.result = answer.data;
        } else {
          line.state = "vendor";
          line.error = answer.data.error;
        }
        answered(line);
      }).catch(function (error) {
        if (gen !== line.gen || lines.indexOf(line) === -1) return;
        line.state = error.message === "session" ? "session" : "offline";
        answered(line);
      });
    }

    function newLine(text, key) {
      return { key: key, typed: text, rough: roughKey(text), state: "pending", result: null, gen: 0, fresh: false };
    }

    // Adds a line, or answers false when the stack is full (the caller keeps the text).
    function add(text, quiet) {
      text = text.trim();
      if (!text) return true;
      if (lines.length >= maxLines) return false;
      var fresh = newLine(text, newKey());
      fresh.fresh = !quiet;
      lines.push(fresh);
      lastLine = fresh;
      check(fresh);
      if (!quiet && render()[fresh.key] && fresh.fresh) {
        fresh.fresh = false; // the same code is already in the stack: say so at once
        beep("refused");
      }
      return true;
    }

    // The scanner's or the person's line: added, or kept in the field (selected, so that the next scan
    // replaces it) with a plain word when the stack is full.
    function addTyped() {
      var text = scan.value.trim();
      if (add(text)) {
        scan.value = "";
        return;
      }
      notAdded = fill(words.msgNotAdded, { code: text, max: maxLines });
      render();
      beep("refused");
      scan.select();
    }

    scan.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault(); // Enter adds the line; it never sends the form
      addTyped();
    });
    scan.addEventListener("paste", function (event) {
      var text = (event.clipboardData || window.clipboardData).getData("text");
      if (text.indexOf("\n") === -1) return;
      event.preventDefault();
      var left = text.split(/\r?\n/).filter(function (part) {
        return !add(part, true);
      }).filter(function (part) {
        return part.trim();
      });
      if (left.length === 1) notAdded = fill(words.msgNotAdded, { code: left[0].trim(), max: maxLines });
      else if (left.length) notAdded = fill(words.msgNotPasted, { n: left.length, max: maxLines });
      render();
      if (left.length) beep("refused");
    });
    form.querySelector("[data-add]").addEventListener("click", function () {
      addTyped();
      scan.focus();
    });
    vendor.addEventListener("change", function () {
      notice.hidden = !vendor.value || unauthorized.indexOf(vendor.value) === -1;
      var refusal = document.getElementById("id_vendor_error"); // a refused save's "choose the vendor"
      if (refusal) refusal.hidden = Boolean(vendor.value);
      lines.forEach(function (line) {
        line.result = null;
        check(line);
      });
      render();
    });
    form.addEventListener("submit", function (event) {
      if (saving || blocked) {
        event.preventDefault(); // a second tap while the first is on its way, or nothing that can be saved yet
        return;
      }
      saving = true;
      window.setTimeout(function () { save.disabled = true; }, 0);
    });
    window.addEventListener("beforeunload", function (event) {
      if (lines.length && !saving) {
        event.preventDefault();
        event.returnValue = "";
      }
    });

    // Lines to bring back: those of a save the server refused (the page shows them again), else the stack
    // this tab kept for this market. Each keeps its key and the stack its key, so that a stack whose save
    // did go through (its summary never loaded) is still recorded once when saved again.
    function bringBack(data) {
      var seen = {};
      data.lines.forEach(function (kept) {
        if (typeof kept.typed !== "string" || !kept.typed.trim()) return;
        var key = LINE_KEY.test(kept.key) && !seen[kept.key] ? kept.key : newKey();
        seen[key] = true;
        lines.push(newLine(kept.typed.trim(), key));
      });
      lines.forEach(check);
    }

    var sent = document.getElementById("sent-lines");
    var kept = stored(market);
    if (sent) {
      bringBack(JSON.parse(sent.textContent));
    } else if (kept && kept.lines.length) {
      if (STACK_KEY.test(kept.stack || "")) stackInput.value = kept.stack;
      var keptVendor = String(kept.vendor || "").replace(/\D/g, "");
      if (keptVendor && vendor.querySelector("option[value='" + keptVendor + "']")) {
        vendor.value = keptVendor;
        notice.hidden = unauthorized.indexOf(keptVendor) === -1;
      }
      bringBack(kept);
      form.querySelector("[data-restored-text]").textContent = words.msgRestored;
      restoredBox.hidden = false;
    }
    form.querySelector("[data-clear]").addEventListener("click", function () {
      if (!window.confirm(words.msgClear)) return;
      lines = [];
      lastLine = null;
      stackInput.value = newKey();
      restoredBox.hidden = true;
      render();
      scan.focus();
    });

    render();
    if (vendor.value) scan.focus();
    else vendor.addEventListener("change", function () { scan.focus(); }, { once: true });
  }

  function countsEntry(form) {
    var inputs = form.querySelectorAll("input.count");
    var box = form.querySelector("[data-counts-total]");
    var sent = false;

    function update() {
      var total = 0;
      var number = 0;
      inputs.forEach(function (input) {
        var n = parseInt(input.value, 10);
        var cents = parseInt(input.getAttribute("data-cents"), 10);
        var out = input.parentNode.querySelector("[data-subtotal]");
        if (n > 0) {
          total += n * cents;
          number += n;
          out.textContent = "= " + formatCents(n * cents);
          out.hidden = false;
        } else {
          out.hidden = true;
        }
      });
      box.hidden = false;
      box.querySelector("[data-total-value]").textContent = formatCents(total);
      box.querySelector("[data-total-count]").textContent = fill(form.dataset.wordCount, { n: number });
    }

    inputs.forEach(function (input) {
      input.addEventListener("input", update);
    });
    form.addEventListener("submit", function (event) {
      if (sent) event.preventDefault();
      sent = true;
    });
    update();
  }

  var stack = document.querySelector("form[data-stack-form]");
  if (stack) stackEntry(stack);
  var counts = document.querySelector("form[data-counts-form]");
  if (counts) countsEntry(counts);
  // The summary of a saved stack: the tab no longer needs to keep it.
  var saved = document.querySelector("[data-saved-stack]");
  if (saved) {
    var kept = stored(saved.getAttribute("data-market"));
    if (kept && kept.stack === saved.getAttribute("data-saved-stack")) store(saved.getAttribute("data-market"), null);
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
