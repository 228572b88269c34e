/* Filtering and sorting of generated tables (see congkhai/render/listing.py), without a server.
 *
 * A <div class="ck-filters" data-for="TABLE-ID" data-keys="k1 k2"> gets one <select> per key,
 * filled from the rows' data-k attributes; the key "due" gets a deadline window instead.
 * Column headers become sort buttons (on a phone, where rows are cards, a row of buttons above
 * them). Without JavaScript the full table is shown. A list longer than one page is split into
 * pages by the generator; when its box names its filter data (data-index: the manifest written by
 * congkhai/render/shards.py, data-root: the site root), a filter acts on the whole list: the
 * selects offer every value of the list, and a choice fetches only the shards that can hold
 * matches, newest year first, until a page of matches is shown ("Xem thêm" for the next). The
 * choice is kept in the address (?province=…&year=…): it can be shared, and "back" undoes it.
 * Shard rows are plain values, drawn with textContent and setAttribute only.
 */
(function () {
  "use strict";

  var LABELS = {
    type: "Loại văn bản", year: "Năm", issuer: "Cơ quan ban hành", level: "Cấp",
    province: "Tỉnh, thành phố", status: "Tình trạng", lead: "Đơn vị chủ trì",
    recurrence: "Tính lặp lại", due: "Thời hạn", kind: "Loại"
  };
  var PER = 100;  /* matches shown at a time: a page of the list (congkhai/render/cards.py PER_PAGE) */
  var DUE = [
    ["", "Tất cả"], ["overdue", "Đã quá hạn"], ["30", "Trong 30 ngày tới"],
    ["90", "Trong 90 ngày tới"], ["dated", "Có hạn cụ thể"], ["undated", "Không có hạn cụ thể"]
  ];

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function addDays(iso, days) {
    var d = new Date(iso + "T00:00:00");
    d.setDate(d.getDate() + days);
    return d.toISOString().slice(0, 10);
  }

  function dueMatches(value, due) {
    if (!value) return true;
    var now = today();
    if (value === "dated") return !!due;
    if (value === "undated") return !due;
    if (!due) return false;
    if (value === "overdue") return due < now;
    return due >= now && due <= addDays(now, parseInt(value, 10));
  }

  function setup(box) {
    var wrapper = document.getElementById(box.getAttribute("data-for"));
    if (!wrapper) return;
    var table = wrapper.querySelector("table");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var keys = (box.getAttribute("data-keys") || "").split(/\s+/).filter(Boolean);
    var selects = {};
    /* a long list is cut into pages (congkhai/render/cards.py): without its filter data (below),
       filters act on this page's rows */
    var pagers = Array.prototype.slice.call(document.querySelectorAll(".ck-pager"));
    var paged = pagers.length > 0;
    var index = box.getAttribute("data-index");
    /* the columns as the server wrote them: the card layout's labels and each cell's kind */
    var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      return { label: th.textContent, kind: th.className };
    });
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    status.className = "ck-count";

    /* the filters fold into "Lọc danh sách" on a phone, so the first titles are on the first screen */
    var fold = document.createElement("details");
    fold.className = "ck-filter-fold";
    fold.open = !window.matchMedia || window.matchMedia("(min-width: 60em)").matches;
    var summary = document.createElement("summary");
    summary.textContent = "Lọc danh sách";
    fold.appendChild(summary);
    var fields = document.createElement("div");
    fields.className = "ck-filter-fields";
    fold.appendChild(fields);
    box.appendChild(fold);

    function build(options) {  /* options: key → [[value, label], …], or null: from the page's rows */
      keys.forEach(function (key) {
        var label = document.createElement("label");
        var select = document.createElement("select");
        var id = box.getAttribute("data-for") + "-" + key;
        select.id = id;
        label.setAttribute("for", id);
        label.textContent = LABELS[key] || key;
        if (key === "due") {
          DUE.forEach(function (o) { select.add(new Option(o[1], o[0])); });
        } else if (options && options[key] === null) {  /* listed per province: province first */
          select.add(new Option("Chọn " + LABELS.province.toLowerCase() + " trước", ""));
          select.disabled = true;
        } else if (options) {
          select.add(new Option("Tất cả", ""));
          (options[key] || []).forEach(function (o) { select.add(new Option(o[1], o[0])); });
        } else {
          var values = {};
          rows.forEach(function (r) {
            (r.getAttribute("data-" + key) || "").split("; ").forEach(function (v) { if (v) values[v] = true; });
          });
          select.add(new Option("Tất cả", ""));
          Object.keys(values).sort(function (a, b) { return a.localeCompare(b, "vi"); })
            .forEach(function (v) { select.add(new Option(v, v)); });
        }
        select.addEventListener("change", function () { (remote ? remote.change : apply)(); });
        var field = document.createElement("span");
        field.className = "ck-filter";
        field.appendChild(label);
        field.appendChild(select);
        fields.appendChild(field);
        selects[key] = select;
      });
    }
    box.appendChild(status);

    var remote = null;

    function apply() {
      var shown = 0;
      rows.forEach(function (r) {
        var ok = keys.every(function (key) {
          var want = selects[key].value;
          if (key === "due") return dueMatches(want, r.getAttribute("data-due"));
          return !want || (r.getAttribute("data-" + key) || "").split("; ").indexOf(want) >= 0;
        });
        r.hidden = !ok;
        if (ok) shown += 1;
      });
      status.textContent = "Đang hiển thị " + shown + " / " + rows.length + " dòng" + (paged ? " của trang này" : "");
    }

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ck-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        /* a column may sort on a row attribute (an ISO date) rather than its text ("3 tháng 5") */
        var attr = th.getAttribute("data-sort");
        var key = function (r) {
          return attr && r.hasAttribute("data-" + attr) ? r.getAttribute("data-" + attr) : r.cells[index].textContent.trim();
        };
        var current = Array.prototype.slice.call(table.tBodies[0].rows);  /* the page's, or the matches */
        current.sort(function (a, b) {
          var x = key(a), y = key(b);
          var n = x.localeCompare(y, "vi", { numeric: true });
          return asc ? n : -n;
        });
        current.forEach(function (r) { table.tBodies[0].appendChild(r); });
      });
    });

    if (paged && index && window.fetch && window.URLSearchParams) {
      fetch(index).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (manifest) {
        remote = whole(manifest);
        var options = {};
        keys.forEach(function (key) {
          options[key] = (manifest.scoped || {})[key] ? null : (manifest.values[key] || []).map(function (v) {
            return [v[0], v[1] + " (" + number(v[2]) + ")"];
          });
        });
        build(options);
        box.appendChild(status);
        remote.fromAddress();
        window.addEventListener("popstate", function () { if (document.body.contains(box)) remote.fromAddress(); });
      }).catch(function () {  /* no filter data (a page opened from disk): filter this page's rows */
        remote = null;
        build(null);
        box.appendChild(status);
        apply();
      });
    } else {
      build(null);
      box.appendChild(status);
      apply();
    }

    /* -- filters over the whole list: the manifest, and the shards fetched as needed ---------- */
    function whole(manifest) {
      var base = index.replace(/[^\/]*$/, "");
      var root = box.getAttribute("data-root") || "";
      if (!/^(\.\/|(\.\.\/)+)$/.test(root)) root = "";
      var noun = manifest.noun;
      var server = rows.slice();
      var caption = table.querySelector("caption");
      var note = caption ? caption.textContent : "";
      var cache = {};
      var run = 0;
      var state = null;
      var more = document.createElement("button");
      more.type = "button";
      more.className = "md-button ck-more";
      more.textContent = "Xem thêm";
      more.hidden = true;
      var clear = document.createElement("button");
      clear.type = "button";
      clear.className = "md-button ck-clear";
      clear.textContent = "Bỏ lọc";
      clear.hidden = true;
      var buttons = document.createElement("p");
      buttons.className = "ck-more-row";
      buttons.appendChild(more);
      buttons.appendChild(clear);
      wrapper.parentNode.insertBefore(buttons, wrapper.nextSibling);
      var lookup = {};
      keys.forEach(function (key) {
        lookup[key] = {};
        (manifest.values[key] || []).forEach(function (v) { lookup[key][v[0]] = v; });
      });

      /* the bodies (issuers, lead units) are listed per province, in a small file fetched when a
         province is chosen (congkhai/render/shards.py SCOPED): thousands of names in one select
         help no one, and opening the list fetches only the manifest */
      var scoped = manifest.scoped || {};
      var scopeFiles = {};
      function rescope() {
        return Promise.all(Object.keys(scoped).map(function (key) {
          var select = selects[key];
          var place = selects[scoped[key]] ? selects[scoped[key]].value : "";
          if (!select) return null;
          if (select.getAttribute("data-scope") === place) return null;
          var keep = select.value;
          function fill(list) {
            select.setAttribute("data-scope", place);
            while (select.options.length) select.remove(0);
            lookup[key] = {};
            if (!place) {
              select.add(new Option("Chọn " + LABELS[scoped[key]].toLowerCase() + " trước", ""));
              select.disabled = true;
              return;
            }
            select.add(new Option("Tất cả", ""));
            list.forEach(function (v) {
              lookup[key][v[0]] = v;
              select.add(new Option(v[1] + " (" + number(v[2]) + ")", v[0]));
            });
            select.disabled = false;
            select.value = lookup[key][keep] ? keep : "";
          }
          if (!place) { fill([]); return null; }
          var name = key + "-" + place;
          if (!scopeFiles[name]) {
            scopeFiles[name] = fetch(base + "index-" + encodeURIComponent(name) + ".json").then(function (r) {
              if (!r.ok) throw new Error(r.status);
              return r.json();
            });
          }
          return scopeFiles[name].then(function (list) {
            /* a province chosen since this one was fetched: its list, not this late one */
            var now = selects[scoped[key]] ? selects[scoped[key]].value : "";
            if (now === place) fill(list);
          });
        }));
      }

      function chosen() {
        var want = {};
        keys.forEach(function (key) { if (selects[key] && selects[key].value) want[key] = selects[key].value; });
        return want;
      }

      /* the shards that can hold a match: those holding every chosen value (all for "due" alone) */
      function candidates(want) {
        var list = null;
        for (var key in want) {
          if (key === "due") continue;
          var found = lookup[key][want[key]];
          var has = {};
          (found ? found[3] : []).forEach(function (i) { has[i] = true; });
          list = (list || manifest.shards.map(function (_, i) { return i; })).filter(function (i) { return has[i]; });
        }
        return list || manifest.shards.map(function (_, i) { return i; });
      }

      function matches(row, want) {
        for (var key in want) {
          if (key === "due") {
            if (!dueMatches(want.due, (row.a || {}).due || "")) return false;
          } else if (((row.f || {})[key] || []).indexOf(want[key]) < 0) {
            return false;
          }
        }
        return true;
      }

      function safeUrl(u) {
        return typeof u === "string" && /^[a-z0-9][a-z0-9._\/-]*$/.test(u) && u.indexOf("..") < 0;
      }

      function draw(row) {
        var tr = document.createElement("tr");
        var attrs = row.a || {};
        Object.keys(attrs).forEach(function (k) {
          if (/^[a-z][a-z-]*$/.test(k)) tr.setAttribute("data-" + k, String(attrs[k]));
        });
        heads.forEach(function (head, i) {
          var td = document.createElement("td");
          var parts = ((row.c || [])[i] || []).filter(function (p) { return p && p.t; });
          var names = [head.kind, parts.length ? "" : "ck-empty"].filter(Boolean).join(" ");
          if (names) td.className = names;
          td.setAttribute("data-label", head.label);
          parts.forEach(function (p, n) {
            if (n) td.appendChild(document.createElement("br"));
            var el;
            if (p.u && safeUrl(p.u)) {
              el = document.createElement("a");
              el.setAttribute("href", root + p.u);
              el.textContent = String(p.t);
            } else if (p.s) {
              el = document.createElement("small");
              el.textContent = String(p.t);
            } else {
              el = document.createTextNode(String(p.t));
            }
            td.appendChild(el);
          });
          tr.appendChild(td);
        });
        return tr;
      }

      function shard(i) {
        var name = manifest.shards[i][0];
        if (!cache[name]) {
          cache[name] = fetch(base + encodeURIComponent(name) + ".json").then(function (r) {
            if (!r.ok) throw new Error(r.status);
            return r.json();
          });
        }
        return cache[name];
      }

      function say() {
        var done = state.next >= state.list.length;
        /* exact when every shard that can hold a match is read, or when one value alone narrows
           the list (the others are held by every row): the manifest counts it */
        var narrowing = Object.keys(state.want).filter(function (k) {
          var v = k === "due" ? null : lookup[k][state.want[k]];
          return !v || v[2] < manifest.total;
        });
        var exact = null;
        if (done) exact = state.found.length;
        else if (narrowing.length === 1 && narrowing[0] !== "due") exact = lookup[narrowing[0]][state.want[narrowing[0]]][2];
        else if (!narrowing.length) exact = manifest.total;
        var text = exact !== null ? number(exact) + " " + noun + " phù hợp" : "ít nhất " + number(state.found.length) + " " + noun + " phù hợp";
        if (exact !== null && exact > state.shown) text += ", đang hiển thị " + number(state.shown);
        status.textContent = text;
        if (caption) caption.textContent = "Kết quả lọc: " + text;
        more.hidden = done && state.shown >= state.found.length;
      }

      function show() {
        var body = table.tBodies[0];
        while (state.shown < Math.min(state.target, state.found.length)) {
          body.appendChild(draw(state.found[state.shown]));
          state.shown += 1;
        }
        say();
      }

      function pump(token) {
        if (token !== run) return;
        if (state.found.length >= state.target || state.next >= state.list.length) {
          more.disabled = false;
          show();
          return;
        }
        var i = state.list[state.next];
        shard(i).then(function (data) {
          if (token !== run) return;
          state.next += 1;
          data.forEach(function (row) { if (matches(row, state.want)) state.found.push(row); });
          show();
          pump(token);
        }).catch(function () {
          if (token !== run) return;
          status.textContent = "Không tải được dữ liệu để lọc; hãy thử lại.";
          more.disabled = false;
        });
      }

      function restore() {
        run += 1;
        state = null;
        var body = table.tBodies[0];
        while (body.firstChild) body.removeChild(body.firstChild);
        server.forEach(function (r) { r.hidden = false; body.appendChild(r); });
        if (caption) caption.textContent = note;
        pagers.forEach(function (p) { p.hidden = false; });
        more.hidden = true;
        clear.hidden = true;
        status.textContent = "Bộ lọc tìm trong cả " + number(manifest.total) + " " + noun + " của danh sách.";
      }

      function start() {
        var want = chosen();
        if (!Object.keys(want).length) { restore(); return; }
        run += 1;
        state = { want: want, list: candidates(want), next: 0, found: [], shown: 0, target: PER };
        var body = table.tBodies[0];
        while (body.firstChild) body.removeChild(body.firstChild);
        pagers.forEach(function (p) { p.hidden = true; });
        clear.hidden = false;
        more.disabled = true;
        status.textContent = "Đang tìm…";
        pump(run);
      }

      function toAddress() {
        var params = new URLSearchParams(window.location.search);
        keys.forEach(function (key) {
          if (selects[key] && selects[key].value) params.set(key, selects[key].value);
          else params.delete(key);
        });
        var qs = params.toString();
        window.history.pushState(null, "", window.location.pathname + (qs ? "?" + qs : "") + window.location.hash);
      }

      more.addEventListener("click", function () {
        if (!state) return;
        state.target += PER;
        more.disabled = true;
        pump(run);
      });
      clear.addEventListener("click", function () {
        keys.forEach(function (key) { if (selects[key]) selects[key].value = ""; });
        toAddress();
        rescope();
        restore();
      });

      function failed() {
        status.textContent = "Không tải được dữ liệu để lọc; hãy thử lại.";
      }

      function fromParams(params, which) {
        keys.filter(which).forEach(function (key) {
          var select = selects[key];
          if (!select) return;
          var value = params.get(key) || "";
          var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
          select.value = known ? value : "";
        });
      }

      return {
        change: function () {
          rescope().then(function () { toAddress(); start(); }, failed);
        },
        fromAddress: function () {
          var params = new URLSearchParams(window.location.search);
          fromParams(params, function (key) { return !scoped[key]; });
          rescope().then(function () {
            fromParams(params, function (key) { return !!scoped[key]; });
            start();
          }, failed);
        }
      };
    }
  }

  /* 10.000: the Vietnamese thousands separator */
  function number(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  /* A table wider than the screen scrolls sideways: keyboard users must be able to reach it. */
  function focusableScrollers() {
    var candidates = document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset__table > table, .ck-table");
    Array.prototype.forEach.call(candidates, function (el) {
      if (el.hasAttribute("tabindex") || el.scrollWidth <= el.clientWidth + 1) return;
      var caption = el.querySelector("caption");
      el.setAttribute("tabindex", "0");
      if (el.tagName !== "TABLE") el.setAttribute("role", "region");
      el.setAttribute("aria-label", caption ? caption.textContent : "Bảng (cuộn ngang để xem thêm)");
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".ck-filters"), setup);
    focusableScrollers();
    window.addEventListener("resize", focusableScrollers);
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init);  /* Material's instant navigation */
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
