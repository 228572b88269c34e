/* Filtering and sorting of generated tables (see congkhai/render/listing.py), without a server.
 *
 * A <div class="ck-filters" data-for="TABLE-ID" data-keys="k1 k2"> gets one <select> per key,
 * filled from the rows' data-k attributes; the key "due" gets a deadline window instead.
 * Column headers become sort buttons (on a phone, where rows are cards, a row of buttons above
 * them). Without JavaScript the full table is shown. A list longer than one page is split into
 * pages by the generator, so what is filtered and sorted is the page shown.
 */
(function () {
  "use strict";

  var LABELS = {
    type: "Loại văn bản", year: "Năm", issuer: "Cơ quan ban hành", level: "Cấp",
    province: "Tỉnh, thành phố", status: "Tình trạng", lead: "Đơn vị chủ trì",
    recurrence: "Tính lặp lại", due: "Thời hạn", kind: "Loại"
  };
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
    /* a long list is cut into pages (congkhai/render/cards.py): filters act on this page's rows */
    var paged = !!document.querySelector(".ck-pager");
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

    keys.forEach(function (key) {
      var label = document.createElement("label");
      var select = document.createElement("select");
      var id = box.getAttribute("data-for") + "-" + key;
      select.id = id;
      label.setAttribute("for", id);
      label.textContent = LABELS[key] || key;
      if (key === "due") {
        DUE.forEach(function (o) { select.add(new Option(o[1], o[0])); });
      } else {
        var values = {};
        rows.forEach(function (r) {
          (r.getAttribute("data-" + key) || "").split("; ").forEach(function (v) { if (v) values[v] = true; });
        });
        select.add(new Option("Tất cả", ""));
        Object.keys(values).sort(function (a, b) { return a.localeCompare(b, "vi"); })
          .forEach(function (v) { select.add(new Option(v, v)); });
      }
      select.addEventListener("change", apply);
      var field = document.createElement("span");
      field.className = "ck-filter";
      field.appendChild(label);
      field.appendChild(select);
      fields.appendChild(field);
      selects[key] = select;
    });
    box.appendChild(status);

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
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var n = x.localeCompare(y, "vi", { numeric: true });
          return asc ? n : -n;
        });
        rows.forEach(function (r) { table.tBodies[0].appendChild(r); });
      });
    });
    apply();
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
