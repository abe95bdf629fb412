// The stall page: a vendor's phone takes coupons and card payments, online or not.
//
// The phone's key (from the link page) and everything the page must remember live in IndexedDB: the
// series cache (which coupons exist, their value and dates), the day's figures from the server, and every
// coupon or card taken on this phone with its status. Online, each coupon goes to the server at once.
// Offline, the page checks what it can from the cache and queues the rest as "en attente"; the queue is
// sent (POST /sync, at most 200 at a time) when the network returns, on page load and every 20 seconds.
// The server is idempotent on each item's nonce, so sending twice, or a send cut halfway, is harmless.
// The check symbol rule is the one of pcn/coupons/codes.py (GF(32), x^5 + x^2 + 1).
(function () {
  "use strict";

  // --- Storage (IndexedDB) ------------------------------------------------------------------------------

  var DB_NAME = "pcn-stall";
  var dbPromise = null;

  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = function () {
          var d = open.result;
          if (!d.objectStoreNames.contains("meta")) d.createObjectStore("meta");
          if (!d.objectStoreNames.contains("items")) {
            d.createObjectStore("items", { keyPath: "nonce" }).createIndex("day", "day");
          }
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }

  function request(storeName, mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction(storeName, mode);
        var result = work(tx.objectStore(storeName));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  var store = {
    get: function (key) { return request("meta", "readonly", function (s) { return s.get(key); }); },
    set: function (key, value) { return request("meta", "readwrite", function (s) { s.put(value, key); }); },
    remove: function (key) { return request("meta", "readwrite", function (s) { s.delete(key); }); },
    allItems: function () { return request("items", "readonly", function (s) { return s.getAll(); }); },
    putItem: function (item) { return request("items", "readwrite", function (s) { s.put(item); }); },
    putItems: function (items) {
      return request("items", "readwrite", function (s) { items.forEach(function (item) { s.put(item); }); });
    },
    removeItems: function (nonces) {
      return request("items", "readwrite", function (s) { nonces.forEach(function (n) { s.delete(n); }); });
    },
  };

  // --- The link page hands the key over, then opens the stall ---------------------------------------------

  var handover = document.getElementById("stall-handover");
  if (handover) {
    var linked = JSON.parse(handover.textContent);
    handover.remove();
    store.set("device", { key: linked.key, device: linked.device, vendor: linked.vendor })
      .then(function () { return store.remove("cache"); })
      .then(function () { return store.remove("today"); })
      .then(function () { location.replace(linked.stall_url); })
      .catch(function () {
        var failed = document.getElementById("stall-link-failed");
        if (failed) failed.hidden = false;
      });
    return;
  }

  var stringsNode = document.getElementById("stall-strings");
  if (!stringsNode) return;
  var S = JSON.parse(stringsNode.textContent);
  var URLS = JSON.parse(document.getElementById("stall-urls").textContent);
  var LANG = (document.documentElement.lang || "fr").slice(0, 2);

  function t(name, params) {
    var text = S[name] || name;
    if (params) {
      text = text.replace(/%\((\w+)\)s/g, function (_m, key) { return key in params ? params[key] : ""; });
    }
    return text;
  }

  // --- Codes: a port of pcn/coupons/codes.py ----------------------------------------------------------------

  var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  var CODE_LENGTH = 12;
  var EXP = [];
  var LOG = [];
  (function () {
    var x = 1;
    for (var k = 0; k < 31; k++) {
      EXP[k] = x;
      LOG[x] = k;
      x <<= 1;
      if (x & 32) x ^= 37; // x^5 + x^2 + 1
    }
  })();
  function mul(a, b) { return a && b ? EXP[(LOG[a] + LOG[b]) % 31] : 0; }
  var TYPED = { I: 1, i: 1, L: 1, l: 1, O: 0, o: 0 };
  for (var v = 0; v < ALPHABET.length; v++) {
    TYPED[ALPHABET[v]] = v;
    TYPED[ALPHABET[v].toLowerCase()] = v;
  }
  var SEPARATORS = "-.\u2010\u2011\u2012\u2013";

  // What a typed code is: {state: "empty" | "character" | "incomplete" | "too_long" | "check" | "ok",
  // count, char, canonical}. Same order of reasons as normalize(): character, length, check.
  function readCode(typed) {
    var values = [];
    for (var i = 0; i < typed.length; i++) {
      var ch = typed[i];
      if (SEPARATORS.indexOf(ch) !== -1 || /\s/.test(ch)) continue;
      if (!(ch in TYPED)) return { state: "character", char: ch, count: values.length };
      values.push(TYPED[ch]);
    }
    if (!values.length) return { state: "empty", count: 0 };
    if (values.length < CODE_LENGTH) return { state: "incomplete", count: values.length };
    if (values.length > CODE_LENGTH) return { state: "too_long", count: values.length };
    var sum = 0;
    for (var j = 0; j < CODE_LENGTH; j++) sum ^= mul(EXP[j], values[j]);
    var canonical = values.map(function (x) { return ALPHABET[x]; }).join("");
    return { state: sum === 0 ? "ok" : "check", count: CODE_LENGTH, canonical: canonical };
  }

  // A card's code is printed "C-K7M2-9XQ4-PD3A": the leading C may be typed or not.
  function readCardCode(typed) {
    var text = typed.trim();
    var asIs = readCode(text);
    if (!/^c/i.test(text)) return asIs;
    var rest = readCode(text.slice(1));
    if (/^c[\s\-.\u2010-\u2013]/i.test(text)) return rest;
    if (asIs.state === "ok") return asIs;
    if (rest.state === "ok" || asIs.state === "too_long") return rest;
    return asIs;
  }

  function display(canonical) { return canonical.replace(/(.{4})(?=.)/g, "$1-"); }

  // A scanned QR holds an address ending in /c/<code>; take the code from it (or the text itself).
  function codeFromScan(text) {
    var match = /\/c\/([^/?#]+)\/?(?:[?#].*)?$/.exec(text);
    if (match) {
      try { return decodeURIComponent(match[1]); } catch (e) { return match[1]; }
    }
    return text;
  }

  // The first 6 symbols as a base-32 number: what the series cache lists (see the stall API).
  function prefixValue(canonical) {
    var value = 0;
    for (var i = 0; i < 6; i++) value = value * 32 + ALPHABET.indexOf(canonical[i]);
    return value;
  }

  // For the browser tests, which hold this port against pcn/coupons/codes.py.
  window.pcnStallCodes = { readCode: readCode, readCardCode: readCardCode, codeFromScan: codeFromScan,
    prefixValue: prefixValue, parseCents: parseCents };

  function codeMessage(reading) {
    switch (reading.state) {
      case "character": return { text: t("code_bad_character", { char: reading.char }), bad: true };
      case "incomplete": return { text: t("code_incomplete", { count: reading.count }), bad: false };
      case "too_long": return { text: t("code_too_long"), bad: true };
      case "check": return { text: t("code_check"), bad: true };
      case "ok": return { text: "✓ " + t("code_ok") + " : " + display(reading.canonical), ok: true };
      default: return { text: "", bad: false };
    }
  }

  // --- Money -------------------------------------------------------------------------------------------

  function money(cents) {
    var sign = cents < 0 ? "-" : "";
    cents = Math.abs(cents);
    var units = Math.floor(cents / 100);
    var rest = String(cents % 100).padStart(2, "0");
    if (LANG === "en") return sign + "$" + units.toLocaleString("en-US") + "." + rest;
    return sign + String(units).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0") + "," + rest + "\u00a0$";
  }

  // "12,50", "12.50 $", "$12" → cents, or null (same rule as pcn/lib/money.py parse_cents).
  function parseCents(text) {
    var cleaned = text.trim().replace(/[$\u00a0\u202f ]/g, "");
    var match = /^(\d{1,12})(?:[.,](\d{1,2}))?$/.exec(cleaned);
    if (!match) return null;
    return parseInt(match[1], 10) * 100 + parseInt((match[2] || "0").padEnd(2, "0"), 10);
  }

  // --- Time ----------------------------------------------------------------------------------------------

  function pad(n) { return String(n).padStart(2, "0"); }
  function localDay(date) {
    date = date || new Date();
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }
  function isoNow() { return new Date().toISOString().replace(/\.\d{3}Z$/, "Z"); }
  function clock(iso) {
    var d = new Date(iso);
    return LANG === "en" ? d.toLocaleTimeString("en-CA", { hour: "numeric", minute: "2-digit" })
      : d.getHours() + " h " + pad(d.getMinutes());
  }
  function longDate(day) {
    var parts = day.split("-");
    var d = new Date(+parts[0], +parts[1] - 1, +parts[2]);
    return d.toLocaleDateString(LANG === "en" ? "en-CA" : "fr-CA", { day: "numeric", month: "long", year: "numeric" });
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- State -------------------------------------------------------------------------------------------

  var state = {
    device: null, // {key, device, vendor}
    cache: null, // the stall API's /cache answer
    etag: null,
    series: [], // [{series, prefixes: Uint32Array}]
    today: null, // the stall API's /today answer
    items: [], // everything taken on this phone (today and anything not yet sent)
    salePointId: null,
    syncing: false,
    unlinked: false,
    mode: "coupon",
  };

  var $ = function (id) { return document.getElementById(id); };

  function setCache(cache, etag) {
    state.cache = cache;
    state.etag = etag;
    state.series = ((cache && cache.series) || []).map(function (s) {
      var raw = atob(s.prefixes || "");
      var bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      var view = new DataView(bytes.buffer);
      var prefixes = new Uint32Array(Math.floor(bytes.length / 4));
      for (var k = 0; k < prefixes.length; k++) prefixes[k] = view.getUint32(k * 4, true);
      return { series: s, prefixes: prefixes };
    });
  }

  function findSeries(canonical) {
    var target = prefixValue(canonical);
    for (var i = 0; i < state.series.length; i++) {
      var list = state.series[i].prefixes;
      var lo = 0;
      var hi = list.length - 1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (list[mid] === target) return state.series[i].series;
        if (list[mid] < target) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    return null;
  }

  function className(classId) {
    var classes = (state.cache && state.cache.classes) || [];
    for (var i = 0; i < classes.length; i++) if (classes[i].id === classId) return classes[i].name;
    return null;
  }

  function season() { return state.cache && state.cache.season; }

  function toSend(item) { return item.unsynced && item.status !== "sending"; }

  // Taken for the business this phone is linked to now (unknown until the series cache is on the phone).
  function ours(item) {
    return !!state.cache && (item.vendor_id === null || item.vendor_id === state.cache.vendor.id);
  }

  // --- The stall API -----------------------------------------------------------------------------------

  function api(method, path, body, headers) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 15000) : null;
    var all = { Authorization: "Bearer " + state.device.key, "Accept-Language": LANG, Accept: "application/json" };
    if (body !== undefined) all["Content-Type"] = "application/json";
    Object.keys(headers || {}).forEach(function (k) { all[k] = headers[k]; });
    return fetch(URLS.api + path, {
      method: method,
      headers: all,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      credentials: "omit",
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      if (timer) clearTimeout(timer);
      var type = response.headers.get("Content-Type") || "";
      var parse = response.status !== 304 && type.indexOf("json") !== -1 ? response.json() : Promise.resolve(null);
      return parse.then(function (data) {
        if (response.status === 401) {
          markUnlinked(data && data.error ? data.error.message : t("unlinked"));
        }
        return { status: response.status, data: data, etag: response.headers.get("ETag") };
      });
    }, function (error) {
      if (timer) clearTimeout(timer);
      throw error;
    });
  }

  function errorMessage(answer) {
    return (answer.data && answer.data.error && answer.data.error.message) || t("server_error");
  }

  function refreshCache() {
    if (!state.device || state.unlinked) return Promise.resolve();
    var headers = state.etag && state.cache ? { "If-None-Match": state.etag } : {};
    return api("GET", "cache", undefined, headers).then(function (answer) {
      if (answer.status === 200 && answer.data) {
        setCache(answer.data, answer.etag);
        render();
        return store.set("cache", { data: answer.data, etag: answer.etag });
      }
    }).catch(function () {});
  }

  function refreshToday() {
    if (!state.device || state.unlinked) return Promise.resolve();
    return api("GET", "today").then(function (answer) {
      if (answer.status === 200 && answer.data) {
        state.today = answer.data;
        renderToday();
        return store.set("today", answer.data);
      }
    }).catch(function () {});
  }

  function markUnlinked(message) {
    state.unlinked = true;
    showBanner(message, URLS.link, t("link_button"));
  }

  // --- Taking a coupon or a card -------------------------------------------------------------------------

  function isOnline() { return navigator.onLine !== false; }

  function newItem(kind, code) {
    return {
      nonce: uuid(),
      kind: kind,
      code: code,
      client_at: isoNow(),
      sale_point_id: state.salePointId,
      day: localDay(),
      created: Date.now(),
      status: "sending",
      reason: "",
      message: "",
      value_cents: 0,
      class_name: null,
      unsynced: true, // the server has not answered for it yet
      // Whose it is: a phone linked again for another business must not send this one under that name.
      vendor_id: state.cache ? state.cache.vendor.id : null,
      vendor_name: state.cache ? state.cache.vendor.name : "",
    };
  }

  function wire(item) {
    var out = { nonce: item.nonce, kind: item.kind, code: item.code, client_at: item.client_at };
    if (item.kind === "card") out.amount_cents = item.amount_cents;
    if (item.sale_point_id) out.sale_point_id = item.sale_point_id;
    if (item.refused_on_device) out.refused_on_device = item.refused_on_device;
    return out;
  }

  function applyResult(item, result) {
    var wasCounted = item.status === "accepted";
    item.status = result.outcome;
    item.reason = result.reason || "";
    item.message = result.message || "";
    if (result.value_cents || item.kind === "coupon") item.value_cents = result.value_cents || 0;
    if (result.class_name !== undefined && result.class_name !== null) item.class_name = result.class_name;
    if (result.code) item.code = result.code;
    item.recorded_at = result.recorded_at;
    item.unsynced = false;
    item.local = false;
    if (item.status === "accepted" && !wasCounted) countInToday(item);
  }

  // Until the server's figures come back, an item accepted now is added to the last ones known.
  function countInToday(item) {
    var today = todayFigures();
    var name = item.class_name || (item.kind === "card" ? t("cards_class") : "—");
    today.count += 1;
    today.total_cents += item.value_cents;
    var row = today.by_class.filter(function (r) { return r.name === name; })[0];
    if (!row) {
      row = { name: name, count: 0, total_cents: 0 };
      today.by_class.push(row);
    }
    row.count += 1;
    row.total_cents += item.value_cents;
    state.today = today;
    store.set("today", today).catch(function () {});
  }

  function todayFigures() {
    var day = localDay();
    if (state.today && state.today.date === day) return state.today;
    return { date: day, count: 0, total_cents: 0, by_class: [] };
  }

  function refuseLocally(item, reason, message, keepForServer) {
    item.status = "refused";
    item.reason = reason;
    item.message = message;
    item.local = true;
    item.unsynced = !!keepForServer;
  }

  // Refused from the cache: sent all the same, marked so, for the server to keep the attempt as refused
  // (never to accept it: the vendor has handed the coupon back).
  function refuseFromCache(item, reason, message) {
    item.refused_on_device = reason;
    refuseLocally(item, reason, message, true);
  }

  // Offline: what the page can tell from its cache. A code it does not know, or out of its dates, is refused
  // here and sent marked as refused on the phone, so that the server keeps the attempt; the second presentation of a code already taken on this phone is refused here and
  // sent anyway, so that the server keeps the attempt; anything else waits for the server.
  function decideOffline(item, canonical) {
    if (item.kind === "card") {
      item.status = "pending";
      item.message = t("pending_card_message");
      item.class_name = t("cards_class");
      return;
    }
    var series = findSeries(canonical);
    if (series) {
      item.value_cents = series.denomination_cents;
      item.class_name = className(series.class_id);
    }
    var earlier = state.items.filter(function (other) {
      return other.nonce !== item.nonce && other.kind === "coupon" && readCode(other.code).canonical === canonical &&
        other.day === item.day && (other.status === "pending" || other.status === "accepted");
    })[0];
    if (earlier) {
      refuseLocally(item, "already_redeemed", t("duplicate_offline", { time: clock(earlier.client_at) }), true);
      return;
    }
    if (!state.cache) return refuseLocally(item, "unknown", t("first_load_offline"), false);
    if (!series) return refuseFromCache(item, "unknown", t("unknown_offline"));
    if (item.day > series.valid_until) {
      return refuseFromCache(item, "expired", t("expired_offline", { date: longDate(series.valid_until) }));
    }
    if (item.day < series.valid_from) {
      return refuseFromCache(item, "not_yet_valid", t("not_yet_offline", { date: longDate(series.valid_from) }));
    }
    item.status = "pending";
    item.message = t("pending_message");
  }

  function take(item, canonical, online) {
    state.items.push(item);
    showResult(item);
    // Kept before it is sent: a page closed mid-request finds it at the next start and sends it again.
    var saved = store.putItem(item).catch(function () {});
    var send = isOnline() && !state.unlinked
      ? saved.then(function () { return api("POST", online.path, online.body(item)); })
      : Promise.reject(new Error("offline"));
    return send.then(function (answer) {
      if (answer.status === 200 && answer.data) {
        applyResult(item, answer.data);
      } else if (answer.status === 400) {
        refuseLocally(item, "invalid", errorMessage(answer), false);
      } else {
        decideOffline(item, canonical);
      }
    }, function () {
      decideOffline(item, canonical);
    }).then(function () {
      return saveItem(item);
    }).then(function () {
      showResult(item);
      render();
    });
  }

  function saveItem(item) {
    return store.putItem(item).catch(function () {});
  }

  function needsSalePoint() {
    var points = (state.cache && state.cache.sale_points) || [];
    if (points.length > 1 && !state.salePointId) {
      showBanner(t("choose_sale_point"));
      $("sale-point-choice").focus();
      return true;
    }
    return false;
  }

  function takeCoupon(canonical) {
    hideBanner();
    var item = newItem("coupon", display(canonical));
    var online = {
      path: "redeem",
      body: function (it) {
        var body = { code: it.code, nonce: it.nonce, client_at: it.client_at };
        if (it.sale_point_id) body.sale_point_id = it.sale_point_id;
        return body;
      },
    };
    return take(item, canonical, online);
  }

  function takeCard(canonical, cents) {
    hideBanner();
    var s = season();
    var offline = !isOnline() || state.unlinked;
    if (offline && !(s && s.cards_enabled)) {
      showMessage("refused", t("cards_off_offline"));
      return Promise.resolve();
    }
    if (offline && cents > s.card_offline_cap_cents) {
      showMessage("refused", t("card_needs_network", { cap: money(s.card_offline_cap_cents) }));
      return Promise.resolve();
    }
    var item = newItem("card", "C-" + display(canonical));
    item.amount_cents = cents;
    item.value_cents = cents;
    item.class_name = t("cards_class");
    var online = {
      path: "card-debit",
      body: function (it) {
        var body = { card_code: it.code, amount_cents: it.amount_cents, nonce: it.nonce, client_at: it.client_at };
        if (it.sale_point_id) body.sale_point_id = it.sale_point_id;
        return body;
      },
    };
    // A card debit that could not reach the server is queued only under the cap: above it, say so.
    return take(item, canonical, online).then(function () {
      if (item.status === "pending" && s && cents > s.card_offline_cap_cents) {
        state.items = state.items.filter(function (it) { return it !== item; });
        store.removeItems([item.nonce]).catch(function () {});
        showMessage("refused", t("card_needs_network", { cap: money(s.card_offline_cap_cents) }));
        render();
      }
    });
  }

  // --- Sending the queue ----------------------------------------------------------------------------------

  var BATCH = 200; // a batch the server records in a few seconds, well within the request's time limit

  function sync() {
    if (state.syncing || !state.device || state.unlinked || !isOnline()) return Promise.resolve();
    var queue = state.items.filter(function (item) { return toSend(item) && ours(item); });
    if (!queue.length) return Promise.resolve();
    queue.sort(function (a, b) { return a.created - b.created; });
    state.syncing = true;
    var counts = { accepted: 0, refused: 0, review: 0 };
    var byNonce = {};
    queue.forEach(function (item) { byNonce[item.nonce] = item; });

    function apply(results) {
      var changed = [];
      (results || []).forEach(function (result) {
        var item = byNonce[result.nonce];
        if (!item) return;
        applyResult(item, result);
        if (result.outcome in counts) counts[result.outcome] += 1;
        changed.push(item);
      });
      return store.putItems(changed);
    }

    function sendOneByOne(batch) {
      // A batch the server refused as a whole (400): send each item alone, so one bad item blocks nothing.
      return batch.reduce(function (previous, item) {
        return previous.then(function () {
          return api("POST", "sync", { items: [wire(item)] }).then(function (answer) {
            if (answer.status === 200 && answer.data) return apply(answer.data.results);
            if (answer.status === 400) {
              refuseLocally(item, "invalid", errorMessage(answer), false);
              return store.putItem(item);
            }
            throw new Error("sync stopped: " + answer.status);
          });
        });
      }, Promise.resolve());
    }

    var batches = [];
    for (var i = 0; i < queue.length; i += BATCH) batches.push(queue.slice(i, i + BATCH));
    var done = batches.reduce(function (previous, batch) {
      return previous.then(function () {
        return api("POST", "sync", { items: batch.map(wire) }).then(function (answer) {
          if (answer.status === 200 && answer.data) return apply(answer.data.results);
          if (answer.status === 400) return sendOneByOne(batch);
          throw new Error("sync stopped: " + answer.status);
        });
      });
    }, Promise.resolve());

    return done.catch(function () { /* cut halfway: what is left is sent at the next try */ }).then(function () {
      state.syncing = false;
      var total = counts.accepted + counts.refused + counts.review;
      if (total) {
        var parts = ["accepted", "refused", "review"].filter(function (k) { return counts[k]; }).map(function (k) {
          return plural(counts[k], "sync_" + k);
        });
        showBanner(t("sync_done", { parts: parts.join(", ") }), null, null, "info");
        refreshToday();
      }
      render();
    });
  }

  // --- Drawing --------------------------------------------------------------------------------------------

  var WORDS = { accepted: "accepted", refused: "refused", review: "review", pending: "pending", sending: "sending" };
  var SYMBOLS = { accepted: "✓", refused: "✗", review: "?", pending: "…", sending: "…" };

  function showResult(item) {
    var box = $("result");
    var word = item.status === "sending" ? t("sending") : t(WORDS[item.status]);
    box.className = "result " + item.status;
    box.querySelector(".result-word").textContent = SYMBOLS[item.status] + " " + word;
    // A refused coupon earns nothing: its value is not shown, so that no one reads it as taken.
    var value = item.value_cents && item.status !== "refused" ? money(item.value_cents) : "";
    if (value && item.class_name) value += " · " + item.class_name;
    box.querySelector(".result-value").textContent = value;
    var message = item.message;
    if (!message && item.status === "review") message = t("review_message");
    // "Accepté : 5,00 $ (Fruits et légumes)." repeats the word and the value: keep only what follows.
    if (item.status === "accepted") message = message.split(/\.\s+/).slice(1).join(". ");
    box.querySelector(".result-message").textContent = message;
    box.querySelector(".result-code").textContent = item.code;
    box.hidden = false;
    if (item.status !== "sending") {
      buzz(item.status);
      box.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }

  function showMessage(status, message) {
    var box = $("result");
    box.className = "result " + status;
    box.querySelector(".result-word").textContent = SYMBOLS[status] + " " + t(WORDS[status]);
    box.querySelector(".result-value").textContent = "";
    box.querySelector(".result-message").textContent = message;
    box.querySelector(".result-code").textContent = "";
    box.hidden = false;
    box.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function buzz(status) {
    if (!navigator.vibrate) return;
    try { navigator.vibrate(status === "refused" ? [250, 120, 250] : 80); } catch (e) { /* not allowed */ }
  }

  function showBanner(message, href, label, kind) {
    var banner = $("banner");
    banner.textContent = "";
    banner.className = "banner " + (kind || "error");
    var p = document.createElement("p");
    p.textContent = message;
    banner.appendChild(p);
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.className = "button primary big";
      a.textContent = label;
      banner.appendChild(a);
    }
    banner.hidden = false;
  }

  function hideBanner() {
    if (!state.unlinked) $("banner").hidden = true;
  }

  function renderNet() {
    var net = $("net");
    var online = isOnline();
    net.textContent = online ? t("online") : t("offline");
    net.className = "net " + (online ? "on" : "off");
    var note = $("offline-note");
    note.textContent = t("offline_note");
    note.hidden = online || !state.device;
  }

  function renderSalePoints() {
    var points = (state.cache && state.cache.sale_points) || [];
    var box = $("sale-point");
    if (points.length < 2) {
      box.hidden = true;
      state.salePointId = points.length === 1 ? points[0].id : null;
      return;
    }
    var select = $("sale-point-choice");
    var ids = points.map(function (p) { return p.id; });
    if (ids.indexOf(state.salePointId) === -1) state.salePointId = null;
    select.textContent = "";
    var none = document.createElement("option");
    none.value = "";
    none.textContent = "—";
    select.appendChild(none);
    points.forEach(function (p) {
      var option = document.createElement("option");
      option.value = String(p.id);
      option.textContent = p.market && p.market !== p.name ? p.name + " (" + p.market + ")" : p.name;
      select.appendChild(option);
    });
    select.value = state.salePointId ? String(state.salePointId) : "";
    box.hidden = false;
  }

  function renderToday() {
    var today = todayFigures();
    var pending = state.items.filter(function (item) {
      return item.status === "pending" && item.day === today.date && ours(item);
    });
    var rows = today.by_class.map(function (r) {
      return { name: r.name, count: r.count, total_cents: r.total_cents };
    });
    var waitingCents = 0;
    pending.forEach(function (item) {
      waitingCents += item.value_cents;
      var name = item.class_name || (item.kind === "card" ? t("cards_class") : "—");
      var row = rows.filter(function (r) { return r.name === name; })[0];
      if (!row) {
        row = { name: name, count: 0, total_cents: 0 };
        rows.push(row);
      }
      row.count += 1;
      row.total_cents += item.value_cents;
    });
    var body = $("today-rows");
    body.textContent = "";
    var total = today.total_cents + waitingCents;
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      var th = cell(tr, "th", r.name);
      var howMany = document.createElement("span");
      howMany.className = "how-many";
      howMany.textContent = plural(r.count, r.name === t("cards_class") ? "payments" : "coupons");
      th.appendChild(howMany);
      cell(tr, "td", money(r.total_cents), "num");
      body.appendChild(tr);
    });
    var totalRow = document.createElement("tr");
    totalRow.className = "total";
    cell(totalRow, "th", t("total"));
    cell(totalRow, "td", money(total), "num");
    body.appendChild(totalRow);
    var waiting = $("today-waiting");
    waiting.hidden = !pending.length;
    waiting.textContent = pending.length
      ? t("waiting_total", { count: pending.length, total: money(waitingCents) }) : "";
    var unsent = state.items.filter(function (item) { return toSend(item) && ours(item); }).length;
    $("send-now").hidden = !(unsent && isOnline() && !state.unlinked);
  }

  function cell(tr, tag, text, cls) {
    var c = document.createElement(tag);
    c.textContent = text;
    if (cls) c.className = cls;
    if (tag === "th") c.scope = "row";
    tr.appendChild(c);
    return c;
  }

  // S[name + "_one"] for 1, S[name + "_many"] otherwise, with the count in it.
  function plural(count, name) {
    return t(name + (count === 1 ? "_one" : "_many"), { count: count });
  }

  function renderItems() {
    var list = $("items");
    var day = localDay();
    var shown = state.items.filter(function (item) {
      return item.status !== "sending" && (item.day === day || item.unsynced);
    });
    shown.sort(function (a, b) { return b.created - a.created; });
    list.textContent = "";
    if (!shown.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = t("list_empty");
      list.appendChild(empty);
      return;
    }
    shown.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "item " + item.status;
      li.setAttribute("data-nonce", item.nonce);
      var top = document.createElement("div");
      top.className = "item-top";
      var code = document.createElement("span");
      code.className = "item-code code";
      code.textContent = item.code;
      var value = document.createElement("span");
      value.className = "item-value";
      value.textContent = item.value_cents && item.status !== "refused" ? money(item.value_cents) : "";
      top.appendChild(code);
      top.appendChild(value);
      li.appendChild(top);
      var status = document.createElement("p");
      status.className = "item-status";
      var when = document.createElement("span");
      when.className = "item-time";
      when.textContent = clock(item.client_at) + " · ";
      status.appendChild(when);
      var badge = document.createElement("strong");
      badge.className = "badge";
      badge.textContent = SYMBOLS[item.status] + " " + t(WORDS[item.status]);
      status.appendChild(badge);
      // Waiting items all say the same thing (in the box above): only the others carry their sentence.
      if (item.message && item.status !== "accepted" && item.status !== "pending") {
        status.appendChild(document.createTextNode(" " + item.message));
      }
      if (toSend(item) && state.cache && !ours(item)) {
        status.appendChild(document.createTextNode(" " + t("other_vendor", { vendor: item.vendor_name })));
      }
      li.appendChild(status);
      list.appendChild(li);
    });
  }

  function render() {
    renderNet();
    $("loading").hidden = true;
    if (!state.device) {
      $("unlinked").hidden = false;
      $("app").hidden = true;
      return;
    }
    $("app").hidden = false;
    var who = $("who");
    var vendor = (state.cache && state.cache.vendor && state.cache.vendor.name) || state.device.vendor;
    who.textContent = vendor || "";
    who.hidden = !vendor;
    var deviceName = (state.cache && state.cache.device && state.cache.device.name) || state.device.device;
    var about = deviceName ? [t("device", { name: deviceName })] : [];
    if (state.cache && state.cache.generated_at) {
      var at = new Date(state.cache.generated_at);
      about.push(localDay(at) === localDay()
        ? t("cache_today", { time: clock(state.cache.generated_at) })
        : t("cache_day", { date: longDate(localDay(at)), time: clock(state.cache.generated_at) }));
    }
    $("device").textContent = about.join(" · ");
    renderSalePoints();
    var s = season();
    $("card-open").hidden = !(s && s.cards_enabled);
    if (state.cache && !s && !state.unlinked) showBanner(t("no_season"));
    renderToday();
    renderItems();
  }

  // --- Forms ----------------------------------------------------------------------------------------------

  function showStatus(node, message) {
    node.textContent = message.text;
    node.className = "code-status" + (message.bad ? " bad" : "") + (message.ok ? " ok" : "");
  }

  function wireForms() {
    var code = $("code");
    var codeStatus = $("code-status");
    code.addEventListener("input", function () { showStatus(codeStatus, codeMessage(readCode(code.value))); });
    $("coupon-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var reading = readCode(code.value);
      var message = codeMessage(reading);
      if (reading.state !== "ok") {
        if (reading.state === "empty") message = { text: t("code_incomplete", { count: 0 }), bad: true };
        message.bad = true;
        showStatus(codeStatus, message);
        code.focus();
        return;
      }
      if (needsSalePoint()) return; // the typed code stays in the box
      code.value = "";
      showStatus(codeStatus, { text: "" });
      code.blur();
      takeCoupon(reading.canonical);
    });

    var cardCode = $("card-code");
    var cardStatus = $("card-status");
    var amount = $("amount");
    var amountStatus = $("amount-status");
    cardCode.addEventListener("input", function () {
      showStatus(cardStatus, codeMessage(readCardCode(cardCode.value)));
    });
    amount.addEventListener("input", function () { showStatus(amountStatus, { text: "" }); });
    $("card-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var reading = readCardCode(cardCode.value);
      if (reading.state !== "ok") {
        var message = reading.state === "empty" ? { text: t("code_incomplete", { count: 0 }) } : codeMessage(reading);
        message.bad = true;
        showStatus(cardStatus, message);
        cardCode.focus();
        return;
      }
      var cents = parseCents(amount.value);
      if (!cents) {
        showStatus(amountStatus, { text: t("amount_bad"), bad: true });
        amount.focus();
        return;
      }
      if (needsSalePoint()) return;
      cardCode.value = "";
      amount.value = "";
      showStatus(cardStatus, { text: "" });
      amount.blur();
      takeCard(reading.canonical, cents);
    });

    $("card-open").addEventListener("click", function () { setMode("card"); });
    $("card-close").addEventListener("click", function () { setMode("coupon"); });
    $("send-now").addEventListener("click", function () { sync(); });
    $("sale-point-choice").addEventListener("change", function (event) {
      state.salePointId = event.target.value ? parseInt(event.target.value, 10) : null;
      store.set("sale_point", state.salePointId).catch(function () {});
      hideBanner();
    });
  }

  function setMode(mode) {
    state.mode = mode;
    $("coupon-panel").hidden = mode !== "coupon";
    $("card-panel").hidden = mode !== "card";
    $("result").hidden = true;
    (mode === "card" ? $("card-code") : $("code")).focus();
  }

  // --- Camera (where the browser reads QR codes) -------------------------------------------------------------

  var scanning = null;

  function wireScanner() {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
    var formats = BarcodeDetector.getSupportedFormats
      ? BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]);
    formats.then(function (list) {
      if (list.indexOf("qr_code") === -1) return;
      $("scan-coupon").hidden = false;
      $("scan-card").hidden = false;
      $("scan-coupon").addEventListener("click", function () { scan("coupon"); });
      $("scan-card").addEventListener("click", function () { scan("card"); });
      $("scanner-close").addEventListener("click", stopScan);
    }).catch(function () {});
  }

  function scan(target) {
    var video = $("scanner-video");
    var detector = new BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (stream) {
      scanning = { stream: stream, timer: null };
      video.srcObject = stream;
      $("scanner").hidden = false;
      video.play();
      var look = function () {
        if (!scanning) return;
        detector.detect(video).then(function (found) {
          if (!scanning) return;
          if (found.length) {
            stopScan();
            scanned(target, codeFromScan(found[0].rawValue));
          } else {
            scanning.timer = setTimeout(look, 150);
          }
        }, function () { if (scanning) scanning.timer = setTimeout(look, 300); });
      };
      look();
    }, function () {
      showMessage("refused", t("camera_refused"));
    });
  }

  function stopScan() {
    if (scanning) {
      clearTimeout(scanning.timer);
      scanning.stream.getTracks().forEach(function (track) { track.stop(); });
      scanning = null;
    }
    $("scanner").hidden = true;
  }

  function scanned(target, text) {
    if (target === "card") {
      $("card-code").value = text;
      showStatus($("card-status"), codeMessage(readCardCode(text)));
      $("amount").focus();
      return;
    }
    $("code").value = text;
    var reading = readCode(text);
    showStatus($("code-status"), codeMessage(reading));
    if (reading.state === "ok") $("coupon-form").requestSubmit();
  }

  // --- Start ------------------------------------------------------------------------------------------------

  function fillWords() {
    $("unlinked-title").textContent = t("not_linked");
    $("unlinked-help").textContent = t("not_linked_help");
    $("link-button").textContent = t("link_button");
    $("sale-point-label").textContent = t("sale_point");
    $("coupon-title").textContent = t("coupon_title");
    $("scan-coupon").textContent = t("scan_coupon");
    $("scan-card").textContent = t("scan_card");
    $("code-label").textContent = t("type_code");
    $("code").placeholder = t("code_placeholder");
    $("accept").textContent = t("accept");
    $("card-open").textContent = t("card_button");
    $("card-title").textContent = t("card_title");
    $("card-code-label").textContent = t("card_code");
    $("card-code").placeholder = t("card_placeholder");
    $("amount-label").textContent = t("amount");
    $("amount").placeholder = LANG === "en" ? "12.50" : "12,50";
    $("card-pay").textContent = t("card_pay");
    $("card-close").textContent = t("card_cancel");
    $("today-title").textContent = t("today");
    $("list-title").textContent = t("list_title");
    $("send-now").textContent = t("send_now");
    $("scanner-help").textContent = t("scan_help");
    $("scanner-close").textContent = t("scan_cancel");
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(URLS.sw, { scope: URLS.shell }).catch(function () {});
  }

  // Items from earlier days that the server has answered are not kept.
  function prune(items) {
    var day = localDay();
    var old = items.filter(function (item) { return item.day !== day && !item.unsynced; });
    if (old.length) store.removeItems(old.map(function (item) { return item.nonce; })).catch(function () {});
    return items.filter(function (item) { return item.day === day || item.unsynced; });
  }

  function start() {
    fillWords();
    renderNet();
    registerWorker();
    var loading = [store.get("device"), store.get("cache"), store.get("today"), store.allItems(), store.get("sale_point")];
    Promise.all(loading)
      .then(function (loaded) {
        state.device = loaded[0] || null;
        if (loaded[1]) setCache(loaded[1].data, loaded[1].etag);
        state.today = loaded[2] || null;
        // An item left "sending" by a page closed mid-request is queued: its nonce makes a second try harmless.
        state.items = prune(loaded[3] || []).map(function (item) {
          if (item.status === "sending") item.status = "pending";
          return item;
        });
        state.salePointId = loaded[4] || null;
        render();
        if (!state.device) return;
        wireForms();
        wireScanner();
        if (!state.cache && !isOnline()) showBanner(t("first_load_offline"));
        return refreshCache().then(sync).then(refreshToday);
      })
      .catch(function () {
        $("loading").hidden = true;
        showBanner(t("storage_failed"));
      });

    window.addEventListener("online", function () {
      renderNet();
      refreshCache().then(sync).then(refreshToday);
    });
    window.addEventListener("offline", function () { renderNet(); renderToday(); });
    setInterval(function () {
      renderNet();
      if (state.device && isOnline()) sync();
    }, 20000);
    setInterval(function () {
      if (state.device && isOnline()) refreshCache().then(refreshToday);
    }, 10 * 60000);
  }

  start();
})();
