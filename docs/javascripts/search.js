/* Search in Vietnamese with Pagefind (the bundle is written to pagefind/ by congkhai/publish/search.py).
 *
 * Every page: a search box in the header that opens the search page (tim-kiem/?q=…).
 * The search page: the query is folded as congkhai.search.fold_query does — NFC, the look-alike
 * Ð → Đ, each number-and-symbol ("33/CT-TTg") joined into one token ("33ctttg"), and every two
 * adjacent syllables sent as their folded pair ("hoa giai" → "hoagiai"), with the words that are
 * in no pair; if that finds nothing, the words alone are tried. Pairs first, because Pagefind
 * fetches the index of every word a query word is a prefix of: the syllables of a common phrase
 * ("dân vận") are on every page and cost megabytes at national scale, their pair much less. Tone marks and đ are kept:
 * Pagefind ignores tone marks for Vietnamese, and the index holds a d-form of every đ word.
 * All URLs are relative to the site root that Material computes (__md_scope), so the site works
 * under a sub-path; nothing is fetched from another origin.
 */
(function () {
  "use strict";
  var root = new URL(".", typeof __md_scope !== "undefined" ? __md_scope.href.replace(/\/?$/, "/") : location.href).href;
  var SENTINEL = "\u2042";
  var TOKEN = /\/?[\p{L}\p{N}_]+(?:[\/-][\p{L}\p{N}_]+)*/gu;

  function nfc(s) { return s.normalize("NFC").replace(/\u00d0/g, "\u0110").replace(/\u00f0/g, "\u0111"); }
  function fold(s) {
    return nfc(s).normalize("NFD").replace(/\p{M}/gu, "").replace(/\u0111/g, "d").replace(/\u0110/g, "D").toLowerCase();
  }
  function isNumber(t) { return t.indexOf("/") >= 0 && /\p{N}/u.test(t) && /\p{L}/u.test(t); }
  function numberToken(t) { return fold(t).replace(/[^\p{L}\p{N}]/gu, ""); }
  function uniq(a) { return a.filter(function (x, i) { return a.indexOf(x) === i; }); }

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

  function headerBox() {
    var nav = document.querySelector(".md-header__inner");
    if (!nav || document.getElementById("ck-header-search")) return;
    var form = document.createElement("form");
    form.id = "ck-header-search";
    form.setAttribute("role", "search");
    form.action = root + "tim-kiem/";
    form.style.cssText = "margin:0 .4rem;display:flex;align-items:center";
    var input = document.createElement("input");
    input.type = "search";
    input.name = "q";
    input.placeholder = "Tìm kiếm";
    input.setAttribute("aria-label", "Tìm kiếm kế hoạch, văn bản");
    input.style.cssText = "width:9rem;max-width:40vw;padding:.2rem .4rem;border:0;border-radius:.1rem;font:inherit;color:#000;background:#fff";
    form.appendChild(input);
    var source = nav.querySelector(".md-header__source");
    nav.insertBefore(form, source);
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }

  /* Pagefind's excerpt may come from the hidden tokens after the sentinel; build it from the text.
   * A match on a pair is located among the hidden tokens, so the typed words are looked for in
   * the text itself (folded) when Pagefind located nothing there. */
  function excerpt(data, terms) {
    var words = data.content.split(/[\r\n\s]+/g);
    var cut = words.indexOf(SENTINEL);
    if (cut < 0) cut = words.length;
    var hits = (data.locations || []).filter(function (l) { return l < cut; });
    if (!hits.length && terms.length) {
      for (var k = 0; k < cut; k++) {
        if (terms.indexOf(fold(words[k]).replace(/[^\p{L}\p{N}]/gu, "")) >= 0) hits.push(k);
      }
    }
    var start = hits.length ? Math.max(0, Math.min(hits[0] - 10, cut - 30)) : 0;
    var out = [];
    for (var i = start; i < Math.min(cut, start + 30); i++) {
      var w = escapeHtml(words[i]);
      out.push(hits.indexOf(i) >= 0 ? "<mark>" + w + "</mark>" : w);
    }
    return (start > 0 ? "… " : "") + out.join(" ") + (start + 30 < cut ? " …" : "");
  }

  function searchPage() {
    var form = document.getElementById("ck-search");
    if (!form) return;
    var input = document.getElementById("ck-q");
    var status = document.getElementById("ck-status");
    var list = document.getElementById("ck-results");
    var more = document.getElementById("ck-more");
    var pagefind = null, results = [], shown = 0, serial = 0, terms = [];

    function load() {
      if (!pagefind) {
        pagefind = import(root + "pagefind/pagefind.js").then(function (pf) {
          return pf.options({ baseUrl: new URL(root).pathname, ranking: { pageLength: 0.1 } }).then(function () { return pf; });
        });
      }
      return pagefind;
    }

    function showMore() {
      var batch = results.slice(shown, shown + 10);
      shown += batch.length;
      more.hidden = shown >= results.length;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
        items.forEach(function (d) {
          var li = document.createElement("li");
          li.className = "ck-result";
          var title = (d.meta && d.meta.title) || d.url;
          li.innerHTML = '<a href="' + escapeHtml(d.url) + '">' + escapeHtml(title) + "</a><p>" + excerpt(d, terms) + "</p>";
          list.appendChild(li);
        });
      });
    }

    function run(text) {
      var mine = ++serial;
      list.innerHTML = "";
      more.hidden = true;
      results = [];
      shown = 0;
      if (!text.trim()) { status.textContent = ""; return Promise.resolve(); }
      var q = foldQuery(text);
      terms = q[1].split(" ").map(function (w) { return fold(w).replace(/[^\p{L}\p{N}]/gu, ""); }).filter(Boolean);
      status.textContent = "Đang tìm…";
      return load().then(function (pf) {
        return pf.search(q[0]).then(function (r) {
          return r.results.length || q[0] === q[1] ? r : pf.search(q[1]);
        });
      }).then(function (r) {
        if (mine !== serial) return;
        results = r.results;
        status.textContent = results.length ? results.length + " kết quả cho “" + text + "”" : "Không tìm thấy kết quả cho “" + text + "”";
        return showMore();
      }).catch(function (e) {
        status.textContent = "Không tải được chỉ mục tìm kiếm.";
        if (window.console) console.error(e);
      });
    }

    more.addEventListener("click", function () { showMore(); });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var url = new URL(location.href);
      url.searchParams.set("q", input.value);
      history.replaceState(null, "", url);
      run(input.value);
    });
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value); }, 250);
    });
    var initial = new URL(location.href).searchParams.get("q");
    if (initial) { input.value = initial; run(initial); }
  }

  headerBox();
  searchPage();
})();
