/* The national search page (congkhai/render/national.py): one search across every province.
 *
 * Each province's site, under <national root>/<province>/, has its own search index, built by its
 * own build (congkhai/publish/searchindex.py). This script loads the first province's pagefind.js
 * and merges the other provinces' indexes into it (mergeIndex, as Pagefind's multisite search
 * did), so the browser fetches only the dictionary and postings chunks of the typed words, from
 * each province, and a small metadata file per province. All URLs are relative to the national
 * root (this script's folder's parent); nothing is fetched from another origin. The query is
 * folded as on the province sites (window.congkhaiFoldQuery from their search.js: pairs of
 * syllables first, then the words alone if that finds nothing) and excerpts are cut as there
 * (window.congkhaiExcerpt). Every value put into HTML is escaped.
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
  var list = document.getElementById("qg-results");
  var SHOWN = 20;

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }
  function textOf(html) { return new DOMParser().parseFromString(String(html || ""), "text/html").body.textContent || ""; }
  function siteBase(s) { return new URL(s.path + "/", root); }
  function siteOf(url) {
    var path = new URL(url, root).pathname;
    for (var i = 0; i < sites.length; i++) if (path.indexOf(siteBase(sites[i]).pathname) === 0) return sites[i];
    return null;
  }
  /* the province sites' excerpt: the page's text before its hidden part, typed words marked, escaped */
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
        }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  var serial = 0;
  function run(text) {
    var mine = ++serial;
    if (!text.trim()) { list.innerHTML = ""; status.textContent = ""; return Promise.resolve(); }
    status.textContent = "Đang tìm…";
    var q = fold(text);
    return load().then(function (pf) {
      /* plans first (the "loai" filter every page carries, as on the province sites), then the rest */
      function both(query) {
        return Promise.all([pf.search(query, { filters: { loai: "ke-hoach" } }), pf.search(query)]).then(function (rs) {
          var seen = {}, results = [];
          rs[0].results.concat(rs[1].results).forEach(function (x) { if (!seen[x.id]) { seen[x.id] = true; results.push(x); } });
          return { results: results };
        });
      }
      return both(q[0]).then(function (r) {
        return r.results.length || q[1] === q[0] ? r : both(q[1]);
      });
    }).then(function (r) {
      if (mine !== serial) return null;
      return Promise.all(r.results.slice(0, SHOWN).map(function (x) { return x.data(); })).then(function (ds) {
        if (mine !== serial) return;
        status.textContent = r.results.length ? "Tìm thấy " + r.results.length + " kết quả trong các tỉnh, thành phố." : "Không tìm thấy kết quả nào.";
        list.innerHTML = ds.map(function (d) {
          var site = siteOf(d.url);
          var title = (d.meta && d.meta.title) || d.url;
          return '<li><a href="' + escapeHtml(d.url) + '">' + escapeHtml(title) + "</a>" +
            (site ? '<div class="noi">' + escapeHtml(site.name) + "</div>" : "") +
            "<div>" + excerptOf(d, text) + "</div></li>";
        }).join("");
      });
    }).catch(function (e) {
      if (mine !== serial) return;
      status.textContent = "Không tải được chỉ mục tìm kiếm.";
      if (window.console) console.error(e);
    });
  }

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
