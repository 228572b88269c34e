/* The national search page (congkhai/render/national.py): one search across every province.
 *
 * Each province's site, under <national root>/<province>/, has its own search index, built by its
 * own build (congkhai/publish/searchindex.py). This script loads the first province's pagefind.js
 * and merges the other provinces' indexes into it (mergeIndex, as Pagefind's multisite search did), so the browser fetches a small metadata file per province and only the dictionary and postings
 * chunks of the typed words, from each province. It uses only options, filters, search(q, {filters}), mergeIndex and
 * result.data() of the engine — the calls the province sites' search.js makes.
 *
 * As on a province's search page: one search per kind of page (the "loai" filter every page
 * carries), plans first and the other kinds together by score; a filter by kind, and by province
 * (the "tinh" filter of plans and bodies: its name since 1 July 2025), with the number of results
 * in each. A cited document or a body has a page in every province that publishes it (same path
 * under each province's folder, each listing that province's plans): it is one result here, linked
 * to the first province's page and naming each province's page of it. Results are loaded only as
 * they are listed (at most LOADS a step, STEP entries shown), so a copy is recognised when it is
 * reached; until every document and body found is loaded the numbers say "up to" ("đến", "≤").
 *
 * All URLs are relative to the national root (this script's folder's parent); nothing is fetched
 * from another origin. The query is folded as on the province sites (window.congkhaiFoldQuery
 * from their search.js) and excerpts are cut as there (window.congkhaiExcerpt). Every value put
 * into HTML is escaped.
 */
(function () {
  "use strict";
  var box = document.getElementById("qg-search");
  if (!box) return;
  var script = document.currentScript;
  var root = new URL("../", script ? script.src : location.href);
  var sites = JSON.parse(box.getAttribute("data-sites") || "[]");
  var form = document.getElementById("qg-form");
  var input = document.getElementById("qg-q");
  var status = document.getElementById("qg-status");
  var filters = document.getElementById("qg-filters");
  var list = document.getElementById("qg-results");
  var more = document.getElementById("qg-more");
  var STEP = 20;
  var LOADS = 60;
  /* congkhai.publish.search.KINDS, in the order results are listed */
  var KINDS = [["ke-hoach", "Kế hoạch"], ["van-ban", "Văn bản được trích dẫn"], ["co-quan", "Cơ quan, đơn vị"], ["khac", "Trang khác"]];
  /* kinds whose page is the same document or body in every province that publishes it */
  var SHARED = { "van-ban": true, "co-quan": true };

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }
  function textOf(html) { return new DOMParser().parseFromString(String(html || ""), "text/html").body.textContent || ""; }
  function kindLabel(k) { for (var i = 0; i < KINDS.length; i++) if (KINDS[i][0] === k) return KINDS[i][1]; return ""; }
  function siteBase(s) { return new URL(s.path + "/", root); }
  /* the province site a URL is in, its index in sites, and the path under it */
  function where(url) {
    var path = new URL(url, root).pathname;
    for (var i = 0; i < sites.length; i++) {
      var base = siteBase(sites[i]).pathname;
      if (path.indexOf(base) === 0) return { site: sites[i], order: i, rest: path.slice(base.length) };
    }
    return { site: null, order: sites.length, rest: path };
  }
  function excerptOf(d, text) {
    return typeof window.congkhaiExcerpt === "function" ? window.congkhaiExcerpt(d.content, text, 30) : escapeHtml(textOf(d.excerpt));
  }
  function fold(text) {
    return typeof window.congkhaiFoldQuery === "function" ? window.congkhaiFoldQuery(text) : [text, text];
  }

  var pagefind = null;
  function load() {
    if (!pagefind) {
      var first = sites[0];
      pagefind = import(new URL("pagefind/pagefind.js", siteBase(first)).href).then(function (pf) {
        return pf.options({ baseUrl: siteBase(first).pathname, ranking: { pageLength: 0.1 } }).then(function () {
          return sites.slice(1).reduce(function (p, s) {
            return p.then(function () { return pf.mergeIndex(new URL("pagefind/", siteBase(s)).href, { baseUrl: siteBase(s).pathname }); });
          }, Promise.resolve());
        }).then(function () { return pf.filters(); }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  /* One search per kind (in place when given): [{result, kind}] plans first, and the count of
   * results in each province (the "tinh" filter's counts). */
  function byKind(pf, query, place) {
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
      out.sort(function (a, b) {
        var pa = a.kind === KINDS[0][0] ? 0 : 1, pb = b.kind === KINDS[0][0] ? 0 : 1;
        if (pa !== pb) return pa - pb;
        if (pa === 0 || a.result.score === b.result.score) return a.rank - b.rank;
        return b.result.score - a.result.score;
      });
      return { results: out, places: places };
    });
  }

  function search(text, place) {
    var q = fold(text);
    return load().then(function (pf) {
      return byKind(pf, q[0], place).then(function (r) {
        return r.results.length || q[1] === q[0] ? r : byKind(pf, q[1], place);
      });
    });
  }
  function dataOf(x) { return x.data ? Promise.resolve(x.data) : x.result.data().then(function (d) { x.data = d; return d; }); }

  /* found: this search's results and province counts; copies: a shared page's key (kind and path
   * under its province) → its loaded results; view: the results of the chosen kind, how far they
   * are walked, and the entries shown (a shared page once, with its copies). */
  var found = null, copies = {}, view = null, kind = "", place = "", places = {}, serial = 0, last = null;

  function keyOf(x) {
    if (!SHARED[x.kind] || !x.data) return "";
    var at = where(x.data.url);
    return at.site ? x.kind + " " + at.rest : "";
  }
  function noteCopy(x) {
    var key = keyOf(x);
    if (!key) return;
    var list = copies[key] || (copies[key] = []);
    if (list.indexOf(x) < 0) list.push(x);
    list.sort(function (a, b) { return where(a.data.url).order - where(b.data.url).order; });
  }
  /* the copies found so far beyond the first of each shared page */
  function extra() {
    return Object.keys(copies).reduce(function (all, k) { return all.concat(copies[k].slice(1)); }, []);
  }
  /* every result of a shared kind is loaded: the counts are exact */
  function exact(k) { return found.results.every(function (x) { return !SHARED[x.kind] || x.data || (k && x.kind !== k); }); }
  function counts() {
    var out = { "": found.results.length }, tinh = {};
    found.results.forEach(function (x) { out[x.kind] = (out[x.kind] || 0) + 1; });
    Object.keys(places).forEach(function (p) { tinh[p] = places[p]; });
    extra().forEach(function (x) {
      out[""] -= 1;
      out[x.kind] -= 1;
      var p = !place && x.data.filters && x.data.filters.tinh && x.data.filters.tinh[0];
      if (p && tinh[p]) tinh[p] -= 1;
    });
    return { kinds: out, places: tinh };
  }

  function newView() {
    view = { list: found.results.filter(function (x) { return !kind || x.kind === kind; }), cursor: 0, entries: [], byKey: {} };
  }

  function item(x) {
    var d = x.data, at = where(d.url), key = keyOf(x);
    var all = key ? copies[key] : [x];
    var main = all[0].data;
    var title = (main.meta && main.meta.title) || main.url;
    var whereHtml = "";
    if (all.length > 1) {
      whereHtml = '<div class="noi">Có ở ' + all.length + " tỉnh, thành phố: " + all.map(function (c) {
        var s = where(c.data.url).site;
        return '<a href="' + escapeHtml(c.data.url) + '">' + escapeHtml(s ? s.name : c.data.url) + "</a>";
      }).join(", ") + "</div>";
    } else if (at.site) {
      whereHtml = '<div class="noi">' + escapeHtml(at.site.name) + "</div>";
    }
    return '<span class="loai">' + escapeHtml(kindLabel(x.kind)) + '</span> <a href="' + escapeHtml(main.url) + '">' + escapeHtml(title) + "</a>" +
      whereHtml + "<div>" + excerptOf(main, last) + "</div>";
  }

  /* The next STEP entries: the results walked in order, each loaded (at most LOADS a step); a
   * copy of a shared page already shown joins it (its first province's page becomes its link). */
  function showMore() {
    var mine = serial, v = view, target = v.entries.length + STEP, loads = 0, changed = [];
    function walk() {
      if (v.entries.length >= target || v.cursor >= v.list.length || loads >= LOADS) return Promise.resolve();
      var batch = v.list.slice(v.cursor, v.cursor + Math.min(target - v.entries.length, LOADS - loads));
      v.cursor += batch.length;
      loads += batch.length;
      return Promise.all(batch.map(dataOf)).then(function () {
        if (mine !== serial) return;
        batch.forEach(function (x) {
          noteCopy(x);
          var key = keyOf(x), entry = key && v.byKey[key];
          if (entry) { if (changed.indexOf(entry) < 0) changed.push(entry); return; }
          entry = { result: x };
          if (key) v.byKey[key] = entry;
          v.entries.push(entry);
        });
        return walk();
      });
    }
    more.hidden = true;
    return walk().then(function () {
      if (mine !== serial) return;
      v.entries.forEach(function (e) {
        if (!e.li) {
          e.li = document.createElement("li");
          e.li.innerHTML = item(e.result);
          list.appendChild(e.li);
        } else if (changed.indexOf(e) >= 0) {
          e.li.innerHTML = item(e.result);
        }
      });
      more.hidden = v.cursor >= v.list.length;
      status.textContent = said(last, counts().kinds[""]);
      drawFilters();
    }).catch(function (e) {
      if (mine !== serial) return;
      status.textContent = "Không tải được kết quả tìm kiếm.";
      if (window.console) console.error(e);
    });
  }

  /* the kinds with results, and the provinces with results (counts of the search without a
   * province: choosing one keeps the others on offer) */
  function drawFilters() {
    if (!found || !(found.results.length || place)) { filters.hidden = true; filters.innerHTML = ""; return; }
    var c = counts();
    var opts = [["", "Tất cả", c.kinds[""]]].concat(KINDS.filter(function (k) { return c.kinds[k[0]]; }).map(function (k) { return [k[0], k[1], c.kinds[k[0]]]; }));
    var upTo = exact() ? "" : "≤ ";
    var html = '<legend class="an">Lọc kết quả</legend><div class="loai-loc" role="radiogroup" aria-label="Loại">' + opts.map(function (o) {
      return '<label><input type="radio" name="qg-kind" value="' + escapeHtml(o[0]) + '"' + (o[0] === kind ? " checked" : "") + "> " +
        escapeHtml(o[1]) + " (" + (exact(o[0]) ? "" : "≤ ") + o[2] + ")</label>";
    }).join("") + "</div>";
    var names = Object.keys(c.places).filter(function (p) { return c.places[p] > 0; }).sort(function (a, b) { return a.localeCompare(b, "vi"); });
    if (names.length) {
      html += '<div class="tinh-loc"><label for="qg-place">Tỉnh, thành phố</label> <select id="qg-place" name="qg-place">' +
        '<option value=""' + (place ? "" : " selected") + ">Mọi tỉnh, thành phố</option>" +
        names.map(function (p) {
          return '<option value="' + escapeHtml(p) + '"' + (p === place ? " selected" : "") + ">" + escapeHtml(p) + " (" + upTo + c.places[p] + ")</option>";
        }).join("") + "</select></div>";
    }
    var had = filters.contains(document.activeElement) ? document.activeElement : null;
    var again = had ? (had.name === "qg-kind" ? 'input[name="qg-kind"][value="' + CSS.escape(had.value) + '"]' : "#qg-place") : null;
    filters.innerHTML = html;
    filters.hidden = false;
    var back = again && filters.querySelector(again);
    if (back) back.focus();
  }

  function redraw() {
    serial++;
    list.innerHTML = "";
    newView();
    drawFilters();
    return showMore();
  }

  /* the number of results; until every document or body found is loaded, copies not yet seen
   * are still counted, so it says "up to" */
  function said(text, n) {
    var at = place ? " tại " + place : " trong các tỉnh, thành phố";
    if (!n) return "Không tìm thấy kết quả nào cho “" + text + "”" + at + ".";
    return "Tìm thấy " + (exact() ? "" : "đến ") + n + " kết quả cho “" + text + "”" + at + ".";
  }

  function find(text) {
    var mine = ++serial;
    list.innerHTML = "";
    more.hidden = true;
    status.textContent = "Đang tìm…";
    return search(text, place).then(function (r) {
      if (mine !== serial) return;
      found = r;
      copies = {};
      if (!place) places = r.places;
      if (kind && !r.results.some(function (x) { return x.kind === kind; })) kind = "";
      status.textContent = said(text, counts().kinds[""]);
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
    copies = {};
    kind = "";
    place = "";
    places = {};
    drawFilters();
    if (!text.trim()) { ++serial; list.innerHTML = ""; more.hidden = true; status.textContent = ""; return Promise.resolve(); }
    return find(text);
  }

  more.addEventListener("click", function () { showMore(); });
  filters.addEventListener("change", function (ev) {
    if (ev.target && ev.target.name === "qg-kind") { kind = ev.target.value; redraw(); }
    else if (ev.target && ev.target.name === "qg-place" && last) { place = ev.target.value; find(last); }
  });
  var timer = null;
  function remember() {
    var url = new URL(location.href);
    if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
  }
  form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(timer); remember(); run(input.value); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { remember(); run(input.value); }, 250);
  });
  var initial = new URL(location.href).searchParams.get("q");
  if (initial) { input.value = initial; run(initial); }
})();
