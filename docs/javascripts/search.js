/* Search in Vietnamese with the site's own index (written to pagefind/ by congkhai/publish/searchindex.py;
 * its pagefind.js answers the Pagefind calls made here: options, filters, search).
 *
 * Every page: a search box in the header that lists the first results as one types (and opens the
 * search page, tim-kiem/?q=…, on Enter or without JavaScript). The search page: results as one
 * types, a filter by kind, excerpts from the text with the typed words marked.
 *
 * The query is folded as congkhai.publish.search.fold_query does — NFC, the look-alike Ð → Đ, each
 * number-and-symbol ("33/CT-TTg") joined into one token ("33ctttg"), and every two adjacent
 * syllables sent as their folded pair ("hoa giai" → "hoagiai"), with the words that are in no
 * pair; if that finds nothing, the words alone are tried, and then only pages where every typed
 * syllable is a whole word are kept (Pagefind matches words as prefixes: "hoa" would match
 * "hoạch"). Pairs first, because a query fetches the postings of its words in every page: the
 * syllables of a common phrase ("dân vận") are on every page and cost the most at national
 * scale, their pair much less. The index also holds pairs across function words ("dân
 * chủ ở cơ sở" → "chuco"), so a reader who leaves out "ở" still finds the page.
 *
 * Results are listed plans first, then the other kinds together, in the index's order: one search
 * per value of the "loai" filter (every page carries one), which also gives the counts the search
 * page shows. Plans and bodies carry their province since 1 July 2025 as the
 * "tinh" filter: the search page offers it, with the number of results in each province.
 *
 * The header box is a WAI-ARIA 1.2 combobox with a list popup (APG "list autocomplete"): the input
 * keeps the focus, Up/Down move aria-activedescendant over the options, Enter opens the active
 * result (or the search page when none is active), Escape closes the list (and, closed, clears
 * the box), and a polite live region says how many results there are.
 * All URLs are relative to the site root that Material computes (__md_scope), so the site works
 * under a sub-path; nothing is fetched from another origin. Every value put into HTML is escaped.
 */
(function () {
  "use strict";
  var root = new URL(".", typeof __md_scope !== "undefined" ? __md_scope.href.replace(/\/?$/, "/") : location.href).href;
  var SENTINEL = "\u2042";
  var TOKEN = /\/?[\p{L}\p{N}_]+(?:[\/-][\p{L}\p{N}_]+)*/gu;
  /* congkhai.publish.search.KINDS, in the order results are listed */
  var KINDS = [["ke-hoach", "Kế hoạch"], ["van-ban", "Văn bản được trích dẫn"], ["co-quan", "Cơ quan, đơn vị"], ["khac", "Trang khác"]];
  /* congkhai.publish.search.FUNCTION_WORDS: skipped between typed syllables when marking the text */
  var FUNCTION_WORDS = ["ở", "và", "của", "các", "những", "cho", "với", "tại", "trong", "về", "là", "được", "để"];
  var FALLBACK_CHECKED = 60;

  function nfc(s) { return s.normalize("NFC").replace(/\u00d0/g, "\u0110").replace(/\u00f0/g, "\u0111"); }
  function fold(s) {
    return nfc(s).normalize("NFD").replace(/\p{M}/gu, "").replace(/\u0111/g, "d").replace(/\u0110/g, "D").toLowerCase();
  }
  function isNumber(t) { return t.indexOf("/") >= 0 && /\p{N}/u.test(t) && /\p{L}/u.test(t); }
  function numberToken(t) { return fold(t).replace(/[^\p{L}\p{N}]/gu, ""); }
  function uniq(a) { return a.filter(function (x, i) { return a.indexOf(x) === i; }); }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }
  function titleOf(d) { return (d.meta && d.meta.title) || d.url || ""; }
  function kindLabel(k) { for (var i = 0; i < KINDS.length; i++) if (KINDS[i][0] === k) return KINDS[i][1]; return ""; }
  /* the kind of a loaded result: its "loai" metadata (congkhai.publish.search.prepare_html) */
  function kindOf(x, d) { return x.kind || (d && d.meta && d.meta.loai) || "khac"; }
  /* the province a loaded result is filed under, or "" */
  function placeOf(d) { return (d && d.filters && d.filters.tinh && d.filters.tinh[0]) || ""; }

  /* Returns [pairs and the words in no pair, words alone]. Mirrors congkhai.search.fold_query. */
  function foldQuery(text) {
    var words = (nfc(text).match(TOKEN) || []).map(function (t) { return isNumber(t) ? numberToken(t) : t; });
    var pairs = [], paired = [];
    for (var i = 0; i + 1 < words.length; i++) {
      var a = fold(words[i]), b = fold(words[i + 1]);
      if (/^\p{L}+$/u.test(a) && /^\p{L}+$/u.test(b)) { pairs.push(a + b); paired[i] = paired[i + 1] = true; }
    }
    var alone = words.filter(function (w, k) { return !paired[k]; });
    return [uniq(pairs.concat(alone)).join(" "), uniq(words).join(" ")];
  }
  window.congkhaiFoldQuery = foldQuery;

  /* A word with its tone mark moved to the end: "hoà" and "hòa" (tone on another vowel) are the same. */
  var TONES = /[\u0300\u0301\u0303\u0309\u0323]/g;
  function toneKey(w) {
    var s = nfc(w).toLowerCase().normalize("NFD");
    return s.replace(TONES, "").replace(/[^\p{L}\p{N}\p{M}]/gu, "") + (s.match(TONES) || []).join("");
  }
  function wordKey(w) { return fold(w).replace(/[^\p{L}\p{N}]/gu, ""); }
  /* The typed syllables and numbers: {f: folded, t: with its marks when the reader typed any}.
   * A word typed with marks ("sở") matches only those marks ("sở", not "Số"); one typed
   * without ("so") matches all. */
  function terms(text) {
    return (nfc(text).match(TOKEN) || []).map(function (w) {
      if (isNumber(w)) return { f: numberToken(w), t: "", n: true };
      var f = wordKey(w);
      return { f: f, t: nfc(w).toLowerCase() === f ? "" : toneKey(w), n: /\p{N}/u.test(f) };
    }).filter(function (x) { return x.f; });
  }
  function matches(key, tkey, term) {
    if (term.n && term.f.length > 2) return key.indexOf(term.f) === 0;
    return key === term.f && (!term.t || tkey === term.t);
  }

  var pagefind = null;
  function load() {
    if (!pagefind) {
      pagefind = import(root + "pagefind/pagefind.js").then(function (pf) {
        /* pf.filters() loads every filter (two small files): a search counts only the filters loaded */
        return pf.options({ baseUrl: new URL(root).pathname, ranking: { pageLength: 0.1 } })
          .then(function () { return pf.filters(); }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  /* Every typed syllable is a whole word of the page (its text, hidden part included). */
  function hasEveryTerm(data, ts) {
    var keys = data.content.split(/\s+/).map(wordKey);
    return ts.every(function (t) { return keys.some(function (k) { return matches(k, "", { f: t.f, t: "", n: t.n }); }); });
  }

  /* One search: {results: [{result, kind}], counts: {kind: n}, places: {province: n}, terms},
   * in the order of KINDS, one result per page; with place, only that province's pages. */
  function search(text, place) {
    var q = foldQuery(text), ts = terms(text);
    return load().then(function (pf) {
      function byKind(query) {
        return Promise.all(KINDS.map(function (k) {
          var f = { loai: k[0] };
          if (place) f.tinh = place;
          return pf.search(query, { filters: f });
        })).then(function (rs) {
          var seen = {}, out = [], places = {};
          rs.forEach(function (r, i) {
            var tinh = (r.filters && r.filters.tinh) || {};
            Object.keys(tinh).forEach(function (p) { if (tinh[p]) places[p] = (places[p] || 0) + tinh[p]; });
            r.results.forEach(function (res) {
              if (!seen[res.id]) { seen[res.id] = true; out.push({ result: res, kind: KINDS[i][0], rank: out.length }); }
            });
          });
          /* plans first; the other kinds together in Pagefind's order (its score is the same
           * whatever the filter), so a body named in the query comes before documents that mention it */
          out.sort(function (a, b) {
            var pa = a.kind === KINDS[0][0] ? 0 : 1, pb = b.kind === KINDS[0][0] ? 0 : 1;
            if (pa !== pb) return pa - pb;
            if (pa === 0 || a.result.score === b.result.score) return a.rank - b.rank;
            return b.result.score - a.result.score;
          });
          return { results: out, places: places };
        });
      }
      return byKind(q[0]).then(function (found) {
        if (found.results.length || q[0] === q[1]) return found;
        return byKind(q[1]).then(function (loose) {
          var some = loose.results.slice(0, FALLBACK_CHECKED);
          return Promise.all(some.map(function (x) { return x.result.data(); })).then(function (datas) {
            var kept = some.filter(function (x, i) { x.data = datas[i]; return hasEveryTerm(datas[i], ts); });
            var places = {};
            kept.forEach(function (x) { var p = placeOf(x.data); if (p) places[p] = (places[p] || 0) + 1; });
            return { results: kept, places: places };
          });
        });
      });
    }).then(function (found) {
      var counts = {};
      found.results.forEach(function (x) { counts[x.kind] = (counts[x.kind] || 0) + 1; });
      return { results: found.results, counts: counts, places: found.places, terms: ts };
    });
  }
  function dataOf(x) { return x.data ? Promise.resolve(x.data) : x.result.data().then(function (d) { x.data = d; return d; }); }

  /* An excerpt of the page's text (before the hidden part) around the typed words, marked.
   * A run of the typed syllables in order (function words between them allowed) is marked as a
   * whole and preferred; otherwise the window with the most typed words is shown. */
  function excerpt(data, ts, size, onlyIfFound) {
    var words = data.content.split(/\s+/).filter(Boolean);
    var cut = words.indexOf(SENTINEL);
    if (cut < 0) cut = words.length;
    words = words.slice(0, cut);
    /* the title is shown above the excerpt: start after it when the text says the words too */
    var title = (titleOf(data) || "").split(/\s+/).filter(Boolean);
    var skip = title.length && title.length < words.length && title.every(function (t, i) { return t === words[i]; });
    if (skip) {
      var rest = excerpt({ content: words.slice(title.length).join(" "), meta: {} }, ts, size, true);
      if (rest !== null) return rest;
    }
    var keys = words.map(wordKey), tkeys = words.map(toneKey);
    function hit(i, term) { return matches(keys[i], tkeys[i], term); }
    var marked = [], first = -1;
    if (ts.length > 1) {
      for (var i = 0; i < keys.length; i++) {
        if (!hit(i, ts[0])) continue;
        var j = i, k = 1, skipped = 0;
        while (k < ts.length && j + 1 < keys.length) {
          if (hit(j + 1, ts[k])) { j++; k++; skipped = 0; }
          else if (FUNCTION_WORDS.indexOf(nfc(words[j + 1]).toLowerCase()) >= 0 && skipped < 2) { j++; skipped++; }
          else break;
        }
        if (k === ts.length) {
          if (first < 0) first = i;
          for (var m = i; m <= j; m++) marked[m] = true;
          i = j;
        }
      }
    }
    if (first < 0) {
      var best = -1, bestStart = 0;
      for (var s = 0; s < Math.max(1, keys.length - size + 1); s++) {
        var got = {};
        for (var t = s; t < Math.min(keys.length, s + size); t++) {
          ts.forEach(function (term, x) { if (hit(t, term)) got[x] = true; });
        }
        var n = Object.keys(got).length;
        if (n > best) { best = n; bestStart = s; }
      }
      for (var u = 0; u < keys.length; u++) {
        if (ts.some(function (term) { return hit(u, term); })) { marked[u] = true; if (first < 0 && u >= bestStart) first = u; }
      }
      if (best <= 0) { if (onlyIfFound) return null; first = 0; }
    }
    var start = Math.max(0, Math.min(first - Math.floor(size / 3), keys.length - size));
    var end = Math.min(keys.length, start + size);
    var parts = [];
    for (var w = start; w < end; w++) {
      var word = escapeHtml(words[w]);
      if (marked[w] && (w === start || !marked[w - 1])) word = "<mark>" + word;
      if (marked[w] && (w + 1 === end || !marked[w + 1])) word += "</mark>";
      parts.push(word);
    }
    var html = parts.join(" ");
    return (start > 0 ? "… " : "") + html.replace(/ {2,}/g, " ") + (end < keys.length ? " …" : "");
  }
  window.congkhaiExcerpt = function (content, text, size) { return excerpt({ content: content }, terms(text), size || 30); };

  /* The header box: a combobox whose list of the first results opens as one types, under the box. */
  function headerBox() {
    var nav = document.querySelector(".md-header__inner");
    if (!nav || document.getElementById("ck-header-search")) return;
    var form = document.createElement("form");
    form.id = "ck-header-search";
    form.className = "ck-header-search";
    form.setAttribute("role", "search");
    form.action = root + "tim-kiem/";
    var input = document.createElement("input");
    input.type = "search";
    input.name = "q";
    input.placeholder = "Tìm kiếm";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-label", "Tìm kiếm kế hoạch, văn bản");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "ck-header-list");
    var panel = document.createElement("div");
    panel.id = "ck-header-results";
    panel.className = "ck-header-results";
    panel.hidden = true;
    var count = document.createElement("p");
    count.className = "ck-header-status";
    var list = document.createElement("ul");
    list.id = "ck-header-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Kết quả tìm kiếm");
    var all = document.createElement("p");
    panel.appendChild(count);
    panel.appendChild(list);
    panel.appendChild(all);
    /* the live region stays in the page, outside the popup, so that its changes are announced */
    var live = document.createElement("p");
    live.id = "ck-header-live";
    live.className = "ck-visually-hidden";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    form.appendChild(input);
    form.appendChild(panel);
    form.appendChild(live);
    nav.insertBefore(form, nav.querySelector(".md-header__source"));

    var timer = null, serial = 0, active = -1;
    function options() { return Array.prototype.slice.call(list.querySelectorAll('[role="option"]')); }
    function setActive(i) {
      var opts = options();
      active = opts.length ? i : -1;
      opts.forEach(function (o, k) {
        var on = k === active;
        o.setAttribute("aria-selected", on ? "true" : "false");
        o.classList.toggle("ck-active", on);
        if (on && o.scrollIntoView) o.scrollIntoView({ block: "nearest" });
      });
      if (active >= 0) input.setAttribute("aria-activedescendant", opts[active].id);
      else input.removeAttribute("aria-activedescendant");
    }
    function open() {
      if (!panel.innerHTML || !count.textContent) return;
      panel.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function close() {
      panel.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }
    function go(opt) { if (opt) location.href = opt.getAttribute("data-href"); }
    function show(text) {
      var mine = ++serial;
      if (!text.trim()) { list.innerHTML = ""; count.textContent = ""; all.innerHTML = ""; live.textContent = ""; close(); return; }
      search(text, "").then(function (r) {
        var top = r.results.slice(0, 6);
        return Promise.all(top.map(dataOf)).then(function (datas) {
          if (mine !== serial) return;
          var said = r.results.length ? r.results.length + " kết quả" : "Không tìm thấy kết quả cho “" + text + "”";
          count.textContent = said;
          list.innerHTML = datas.map(function (d, i) {
            return '<li role="option" id="ck-header-opt-' + i + '" aria-selected="false" data-href="' + escapeHtml(d.url) + '">' +
              '<span class="ck-kind">' + escapeHtml(kindLabel(kindOf(top[i], d))) + "</span> " + escapeHtml(titleOf(d)) + "</li>";
          }).join("");
          list.hidden = !top.length;
          var url = root + "tim-kiem/?q=" + encodeURIComponent(text);
          all.innerHTML = '<a class="ck-header-all" href="' + escapeHtml(url) + '">Xem tất cả kết quả</a>';
          live.textContent = r.results.length ? said + ". Dùng phím mũi tên lên, xuống để chọn." : said;
          setActive(-1);
          if (document.activeElement === input) open();
        });
      }).catch(function (e) {
        if (mine !== serial) return;
        count.textContent = "Không tải được chỉ mục tìm kiếm.";
        live.textContent = count.textContent;
        list.innerHTML = "";
        open();
        if (window.console) console.error(e);
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { show(input.value); }, 200);
    });
    input.addEventListener("keydown", function (ev) {
      var n = options().length, expanded = !panel.hidden;
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        if (!input.value.trim()) return;
        ev.preventDefault();
        if (!expanded) { open(); if (panel.hidden) return; }
        if (!n) return;
        if (ev.key === "ArrowDown") setActive(active + 1 < n ? active + 1 : 0);
        else setActive(active > 0 ? active - 1 : n - 1);
      } else if (ev.key === "Enter") {
        if (expanded && active >= 0) { ev.preventDefault(); go(options()[active]); }
      } else if (ev.key === "Escape") {
        ev.preventDefault();
        if (expanded) close();
        else if (input.value) { input.value = ""; show(""); }
      }
    });
    list.addEventListener("click", function (ev) {
      var opt = ev.target && ev.target.closest ? ev.target.closest('[role="option"]') : null;
      go(opt);
    });
    list.addEventListener("mousemove", function (ev) {
      var opt = ev.target && ev.target.closest ? ev.target.closest('[role="option"]') : null;
      var i = options().indexOf(opt);
      if (i >= 0 && i !== active) setActive(i);
    });
    document.addEventListener("click", function (ev) { if (!form.contains(ev.target)) close(); });
    form.addEventListener("focusout", function (ev) { if (ev.relatedTarget && !form.contains(ev.relatedTarget)) close(); });
    input.addEventListener("focus", function () { if (input.value.trim()) open(); });
  }

  /* The search page: results as one types, filter by kind, "more" in tens. */
  function searchPage() {
    var form = document.getElementById("ck-search");
    if (!form) return;
    var input = document.getElementById("ck-q");
    var status = document.getElementById("ck-status");
    var filters = document.getElementById("ck-filters");
    var list = document.getElementById("ck-results");
    var more = document.getElementById("ck-more");
    var found = null, kind = "", place = "", places = {}, shown = 0, serial = 0, last = null;

    function visible() { return found.results.filter(function (x) { return !kind || x.kind === kind; }); }

    function showMore() {
      var mine = serial;
      var all = visible();
      var batch = all.slice(shown, shown + 10);
      shown += batch.length;
      more.hidden = shown >= all.length;
      return Promise.all(batch.map(dataOf)).then(function (datas) {
        if (mine !== serial) return;
        datas.forEach(function (d, i) {
          var li = document.createElement("li");
          li.className = "ck-result";
          li.innerHTML = '<span class="ck-kind">' + escapeHtml(kindLabel(kindOf(batch[i], d))) + '</span> <a href="' + escapeHtml(d.url) + '">' +
            escapeHtml(titleOf(d)) + "</a><p>" + excerpt(d, found.terms, 30) + "</p>";
          list.appendChild(li);
        });
      });
    }

    /* the kinds with results, and the provinces with results (counts of the search without a
     * province: choosing one keeps the others on offer) */
    function drawFilters() {
      if (!found || !(found.results.length || place)) { filters.hidden = true; filters.innerHTML = ""; return; }
      var opts = [["", "Tất cả", found.results.length]].concat(KINDS.filter(function (k) { return found.counts[k[0]]; }).map(function (k) { return [k[0], k[1], found.counts[k[0]]]; }));
      var html = '<legend class="ck-visually-hidden">Lọc kết quả</legend><div class="ck-filters__kinds" role="radiogroup" aria-label="Loại">' + opts.map(function (o) {
        return '<label><input type="radio" name="ck-kind" value="' + escapeHtml(o[0]) + '"' + (o[0] === kind ? " checked" : "") + "> " +
          escapeHtml(o[1]) + " (" + o[2] + ")</label>";
      }).join("") + "</div>";
      var names = Object.keys(places).sort(function (a, b) { return a.localeCompare(b, "vi"); });
      if (names.length) {
        html += '<div class="ck-filters__place"><label for="ck-place">Tỉnh, thành phố</label> <select id="ck-place" name="ck-place">' +
          '<option value=""' + (place ? "" : " selected") + ">Mọi tỉnh, thành phố</option>" +
          names.map(function (p) {
            return '<option value="' + escapeHtml(p) + '"' + (p === place ? " selected" : "") + ">" + escapeHtml(p) + " (" + places[p] + ")</option>";
          }).join("") + "</select></div>";
      }
      /* redrawn with new counts: the control the reader was on keeps the focus */
      var had = filters.contains(document.activeElement) ? document.activeElement : null;
      var again = had ? (had.name === "ck-kind" ? 'input[name="ck-kind"][value="' + CSS.escape(had.value) + '"]' : "#ck-place") : null;
      filters.innerHTML = html;
      filters.hidden = false;
      var back = again && filters.querySelector(again);
      if (back) back.focus();
    }

    function redraw() {
      serial++;
      list.innerHTML = "";
      shown = 0;
      drawFilters();
      return showMore();
    }

    function said(text, n) {
      var where = place ? " tại " + place : "";
      return n ? n + " kết quả cho “" + text + "”" + where : "Không tìm thấy kết quả cho “" + text + "”" + where;
    }

    /* a search for text (in place, when a province is chosen) */
    function find(text) {
      var mine = ++serial;
      list.innerHTML = "";
      more.hidden = true;
      shown = 0;
      status.textContent = "Đang tìm…";
      return search(text, place).then(function (r) {
        if (mine !== serial) return;
        found = r;
        if (!place) places = r.places;
        if (kind && !r.counts[kind]) kind = "";
        status.textContent = said(text, r.results.length);
        return redraw();
      }).catch(function (e) {
        if (mine !== serial) return;
        status.textContent = "Không tải được chỉ mục tìm kiếm.";
        if (window.console) console.error(e);
      });
    }

    function run(text) {
      if (text === last) return Promise.resolve();
      last = text;
      found = null;
      kind = "";
      place = "";
      places = {};
      drawFilters();
      if (!text.trim()) { ++serial; list.innerHTML = ""; more.hidden = true; status.textContent = ""; return Promise.resolve(); }
      return find(text);
    }

    more.addEventListener("click", function () { showMore(); });
    filters.addEventListener("change", function (ev) {
      if (ev.target && ev.target.name === "ck-kind") { kind = ev.target.value; redraw(); }
      else if (ev.target && ev.target.name === "ck-place" && last) { place = ev.target.value; find(last); }
    });
    var timer = null;
    function remember() {
      var url = new URL(location.href);
      if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
      history.replaceState(null, "", url);
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      remember();
      run(input.value);
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { remember(); run(input.value); }, 250);
    });
    var initial = new URL(location.href).searchParams.get("q");
    if (initial) { input.value = initial; run(initial); }
  }

  headerBox();
  searchPage();
})();
