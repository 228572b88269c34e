/* The reader of the site's search index (written by congkhai/publish/searchindex.py, which says
 * the format). It answers the part of Pagefind's JS API the search pages use:
 *
 *   options({baseUrl}), filters(), search(query, {filters: {loai, tinh}}), mergeIndex(url, {baseUrl})
 *
 * search() returns {results: [{id, score, data()}], filters: {loai: {...}, tinh: {...}}}; data()
 * resolves to {url, content, meta: {title, loai}, filters: {tinh: [...]}}. Every query word must
 * match (AND); a word matches its exact token, or, when the index has no such token, the most
 * frequent tokens it is a prefix of. A page's score is the sum over the words of its best matching
 * token's BM25 part (stored as a byte) times the token's idf, a prefix match counting less.
 * Only files of the index folders are fetched; data is returned as data (never as HTML).
 */
var K1 = 1.2;
var indexes = [];
var primary = { base: new URL(".", import.meta.url).href, baseUrl: "/", meta: null, files: {} };
indexes.push(primary);

function key(word) {
  return String(word).normalize("NFC").toLowerCase().normalize("NFD").replace(/[^\p{L}\p{N}]/gu, "");
}

/* Chunks are gzip. The browser inflates them (DecompressionStream: Chrome 80, Firefox 113,
 * Safari 16.4); an older one (an iPhone kept on iOS 15) imports fflate's gunzip, vendored beside
 * this module (congkhai/publish/vendor/fflate/), once. */
var inflater = null;
function inflate() {
  if (!inflater) {
    inflater = typeof DecompressionStream === "function"
      ? Promise.resolve(function (r) { return new Response(r.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer(); })
      : import(new URL("fflate.js", import.meta.url).href).then(function (m) {
        return function (r) { return r.arrayBuffer().then(function (b) { return m.gunzipSync(new Uint8Array(b)); }); };
      });
  }
  return inflater;
}

function gunzip(url) {
  return Promise.all([fetch(url), inflate()]).then(function (got) {
    var r = got[0];
    if (!r.ok) throw new Error("search index: " + r.status + " " + url);
    return got[1](r);
  });
}

function file(idx, path) {
  if (!idx.files[path]) {
    idx.files[path] = gunzip(idx.base + path + "?v=" + idx.meta.version).then(function (buf) { return new Uint8Array(buf); });
  }
  return idx.files[path];
}

function json(idx, path) {
  return file(idx, path).then(function (bytes) { return JSON.parse(new TextDecoder().decode(bytes)); });
}

function loadMeta(idx) {
  if (!idx.metaPromise) {
    idx.metaPromise = fetch(idx.base + "meta.json").then(function (r) {
      if (!r.ok) throw new Error("search index: " + r.status + " " + idx.base);
      return r.json();
    }).then(function (meta) { idx.meta = meta; return meta; });
  }
  return idx.metaPromise;
}

/* the dictionary chunk that holds token (the last whose first token is <= it) */
function chunkOf(starts, token) {
  var lo = 0, hi = starts.length;
  while (lo < hi) { var mid = (lo + hi) >> 1; if (starts[mid] <= token) lo = mid + 1; else hi = mid; }
  return Math.max(0, lo - 1);
}

function firstAtLeast(entries, token) {
  var lo = 0, hi = entries.length;
  while (lo < hi) { var mid = (lo + hi) >> 1; if (entries[mid][0] < token) lo = mid + 1; else hi = mid; }
  return lo;
}

/* the dictionary entries a query word matches: [entry, exact] */
function entriesFor(idx, word) {
  var starts = idx.meta.dict;
  if (!starts.length) return Promise.resolve([]);
  var c = chunkOf(starts, word);
  return json(idx, "dict/" + c + ".ckd").then(function (entries) {
    var at = firstAtLeast(entries, word);
    if (at < entries.length && entries[at][0] === word) return [[entries[at], true]];
    /* the prefix range, which may go on into the next chunks */
    var found = [];
    function collect(list, from) {
      for (var i = from; i < list.length && list[i][0].indexOf(word) === 0; i++) found.push([list[i], false]);
      return i === list.length;
    }
    function more(next, atEnd) {
      if (!atEnd || next >= starts.length || starts[next].indexOf(word) !== 0) return Promise.resolve(found);
      return json(idx, "dict/" + next + ".ckd").then(function (list) { return more(next + 1, collect(list, 0)); });
    }
    return more(c + 1, collect(entries, at)).then(function (all) {
      all.sort(function (a, b) { return b[0][1] - a[0][1] || (a[0][0] < b[0][0] ? -1 : 1); });
      return all.slice(0, idx.meta.prefix || 24);
    });
  });
}

function postings(idx, entry) {
  /* entry: [token, pages, file, offset, length] */
  return file(idx, "post/" + entry[2] + ".ckp").then(function (bytes) {
    var out = [], at = entry[3], page = -1;
    for (var n = 0; n < entry[1]; n++) {
      var gap = 0, shift = 0, b;
      do { b = bytes[at++]; gap += (b & 0x7f) * Math.pow(2, shift); shift += 7; } while (b >= 0x80);
      page += gap + 1;
      out.push(page, bytes[at++]);
    }
    return out;
  });
}

function idf(pages, df) { return Math.log(1 + (pages - df + 0.5) / (df + 0.5)); }

/* page → score of one query word in one index */
function wordScores(idx, word) {
  return entriesFor(idx, word).then(function (matched) {
    return Promise.all(matched.map(function (m) { return postings(idx, m[0]); })).then(function (lists) {
      var scores = new Map();
      lists.forEach(function (list, i) {
        var entry = matched[i][0], exact = matched[i][1];
        var weight = idf(idx.meta.indexed, entry[1]) * (exact ? 1 : 0.5 * word.length / entry[0].length);
        for (var j = 0; j < list.length; j += 2) {
          var s = weight * (K1 + 1) * list[j + 1] / 255;
          if (!(scores.get(list[j]) >= s)) scores.set(list[j], s);
        }
      });
      return scores;
    });
  });
}

function groupOf(idx, page) {
  var groups = idx.meta.groups;
  for (var i = 0; i < groups.length; i++) if (page >= groups[i][2] && page < groups[i][3]) return groups[i];
  return ["khac", "", 0, 0];
}

function wanted(value, want) {
  if (want === undefined || want === null) return true;
  var list = Array.isArray(want) ? want : (typeof want === "object" ? want.any || [] : [want]);
  return list.indexOf(value) >= 0;
}

function pageData(idx, page) {
  return json(idx, "page/" + Math.floor(page / 1000) + "/" + page + ".ckr").then(function (rec) {
    var filters = {};
    if (rec.province) filters.tinh = [rec.province];
    return {
      url: idx.baseUrl.replace(/\/?$/, "/") + rec.url,
      content: rec.content,
      excerpt: "",
      meta: { title: rec.title, loai: rec.kind },
      filters: filters,
      word_count: rec.content.split(/\s+/).length
    };
  });
}

function searchOne(idx, n, words, want) {
  return loadMeta(idx).then(function () {
    var total = null;
    return words.reduce(function (p, word) {
      return p.then(function () {
        if (total && !total.size) return;
        return wordScores(idx, word).then(function (scores) {
          if (total === null) { total = scores; return; }
          var both = new Map();
          total.forEach(function (s, page) { var t = scores.get(page); if (t !== undefined) both.set(page, s + t); });
          total = both;
        });
      });
    }, Promise.resolve()).then(function () {
      var out = [];
      (total || new Map()).forEach(function (score, page) {
        var g = groupOf(idx, page);
        if (wanted(g[0], want.loai) && wanted(g[1], want.tinh)) out.push({ n: n, page: page, score: score, group: g });
      });
      return out;
    });
  });
}

export function options(opts) {
  if (opts && typeof opts.baseUrl === "string") primary.baseUrl = opts.baseUrl;
  return Promise.resolve();
}

export function init() { return loadMeta(primary).then(function () {}); }

export function mergeIndex(url, opts) {
  var base = new URL(url, location.href).href.replace(/\/?$/, "/");
  indexes.push({ base: base, baseUrl: (opts && opts.baseUrl) || "/", meta: null, files: {} });
  return Promise.resolve();
}

export function filters() {
  return Promise.all(indexes.map(loadMeta)).then(function (metas) {
    var out = {};
    metas.forEach(function (meta) {
      Object.keys(meta.filters).forEach(function (name) {
        var values = out[name] = out[name] || {};
        Object.keys(meta.filters[name]).forEach(function (v) { values[v] = (values[v] || 0) + meta.filters[name][v]; });
      });
    });
    return out;
  });
}

export function search(query, opts) {
  var want = (opts && opts.filters) || {};
  var words = String(query || "").split(/\s+/).map(key).filter(function (w, i, a) { return w && a.indexOf(w) === i; });
  if (!words.length) return Promise.resolve({ results: [], filters: {}, unfilteredResultCount: 0 });
  return Promise.all(indexes.map(function (idx, n) { return searchOne(idx, n, words, want); })).then(function (parts) {
    var all = [].concat.apply([], parts);
    all.sort(function (a, b) { return b.score - a.score || a.n - b.n || a.page - b.page; });
    var counts = { loai: {}, tinh: {} };
    all.forEach(function (r) {
      counts.loai[r.group[0]] = (counts.loai[r.group[0]] || 0) + 1;
      if (r.group[1]) counts.tinh[r.group[1]] = (counts.tinh[r.group[1]] || 0) + 1;
    });
    return {
      results: all.map(function (r) {
        var idx = indexes[r.n];
        return { id: r.n + ":" + r.page, score: r.score, data: function () { return pageData(idx, r.page); } };
      }),
      filters: counts,
      unfilteredResultCount: all.length
    };
  });
}
