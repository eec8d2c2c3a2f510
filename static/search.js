/* quire search: the header box, its results as you type, and the results page (?q=).

   The index is the one src/search.rs writes under each locale's _search/ folder. Every file there is a script that
   calls quireSearch.meta / .shard / .page, so it is loaded with a <script> tag: that works from file://, under any
   sub-path and with no server, where fetch() would not. A query loads meta.js once, one shard per query term, and
   one fragment per result shown.

   The tokenizer below must give what src/search.rs gives: tests/search-vectors.json holds the vectors both are
   tested on (tests/browser/search-tokenize.test.mjs runs this file in node). */
(function () {
  "use strict";

  // ---- Tokenizing (the same rules as src/search.rs) ----

  var MAX_WORD = 40;
  var WORD = /[\p{Alphabetic}\p{N}\p{M}]/u;

  function inRange(cp, a, b) { return cp >= a && cp <= b; }

  function isCjk(cp) {
    return inRange(cp, 0x1100, 0x11FF) || inRange(cp, 0x3005, 0x3007) || inRange(cp, 0x3040, 0x30FF) ||
      inRange(cp, 0x3130, 0x318F) || inRange(cp, 0x31F0, 0x31FF) || inRange(cp, 0x3400, 0x4DBF) ||
      inRange(cp, 0x4E00, 0x9FFF) || inRange(cp, 0xA960, 0xA97F) || inRange(cp, 0xAC00, 0xD7AF) ||
      inRange(cp, 0xD7B0, 0xD7FF) || inRange(cp, 0xF900, 0xFAFF) || inRange(cp, 0xFF66, 0xFF9F) ||
      inRange(cp, 0x20000, 0x323AF);
  }

  function isDiacritic(cp) {
    return inRange(cp, 0x0300, 0x036F) || inRange(cp, 0x1AB0, 0x1AFF) || inRange(cp, 0x1DC0, 0x1DFF) ||
      inRange(cp, 0x20D0, 0x20FF) || inRange(cp, 0xFE20, 0xFE2F);
  }

  // One character folded: compatibility decomposition, lowercase, diacritics dropped.
  function foldChar(ch) {
    var cp = ch.codePointAt(0);
    if (cp < 0x80) return ch.toLowerCase();
    if (isCjk(cp) && !inRange(cp, 0xFF66, 0xFF9F) && !inRange(cp, 0xF900, 0xFAFF)) return ch;
    var out = "";
    for (var d of ch.normalize("NFKD")) {
      for (var l of d.toLowerCase()) {
        if (!isDiacritic(l.codePointAt(0))) out += l;
      }
    }
    return out;
  }

  function classOf(ch) {
    if (isCjk(ch.codePointAt(0))) return 1;
    return WORD.test(ch) ? 0 : 2;
  }

  function fold(text) {
    var out = "";
    for (var ch of text) out += foldChar(ch);
    return out;
  }

  // Index tokens: folded words; each CJK character, preceded by the pair it ends.
  function tokens(text) {
    var out = [], word = "", len = 0, prev = null;
    var flush = function () {
      if (len > 0 && len <= MAX_WORD) out.push(word);
      word = ""; len = 0;
    };
    for (var ch of text) {
      for (var f of foldChar(ch)) {
        var c = classOf(f);
        if (c === 0) { prev = null; word += f; len++; }
        else if (c === 1) {
          flush();
          if (prev !== null) out.push(prev + f);
          out.push(f);
          prev = f;
        } else { flush(); prev = null; }
      }
    }
    flush();
    return out;
  }

  // Query terms: words (the last one a prefix while it is being typed), CJK runs as their pairs, or the single
  // character of a one-character run.
  function queryTerms(query) {
    var terms = [], word = "", len = 0, run = [], last = 2;
    var endWord = function () {
      if (len > 0 && len <= MAX_WORD) terms.push({ term: word, prefix: false });
      word = ""; len = 0;
    };
    var endRun = function () {
      if (run.length === 1) terms.push({ term: run[0], prefix: false });
      for (var i = 1; i < run.length; i++) terms.push({ term: run[i - 1] + run[i], prefix: false });
      run = [];
    };
    for (var ch of query) {
      for (var f of foldChar(ch)) {
        last = classOf(f);
        if (last === 0) { endRun(); word += f; len++; }
        else if (last === 1) { endWord(); run.push(f); }
        else { endWord(); endRun(); }
      }
    }
    endWord(); endRun();
    if (last === 0 && terms.length) terms[terms.length - 1].prefix = true;
    var seen = {};
    return terms.filter(function (t) {
      if (seen[t.term]) return false;
      seen[t.term] = true;
      return true;
    });
  }

  // FNV-1a over the code points of the first three characters (src/search.rs shard_of).
  function shardOf(term, shards) {
    var h = 0x811c9dc5, n = 0;
    for (var ch of term) {
      if (n++ === 3) break;
      h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    }
    return h % Math.max(1, shards);
  }

  var core = { fold: fold, tokens: tokens, queryTerms: queryTerms, shardOf: shardOf };
  if (typeof document === "undefined") {
    // Loaded by the node test: hand over the tokenizer and stop.
    globalThis.quireSearchCore = core;
    return;
  }

  // ---- Loading the index ----

  var store = { meta: {}, shards: {}, pages: {} };
  var waiting = {};
  window.quireSearch = {
    meta: function (locale, meta) { store.meta[locale] = meta; },
    shard: function (locale, i, data) { store.shards[locale + "/" + i] = data; },
    page: function (locale, doc, data) { store.pages[locale + "/" + doc] = data; }
  };

  // Loads a script once; resolves when it has run (or failed: a missing file is an empty result, not an error).
  function load(src) {
    if (!waiting[src]) {
      waiting[src] = new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = src;
        s.async = true;
        s.onload = s.onerror = function () { resolve(); };
        document.head.appendChild(s);
      });
    }
    return waiting[src];
  }

  function Index(base) {
    this.base = base;
    var m = /([^/]+)\/_search\/$/.exec(base);
    this.locale = m ? decodeURIComponent(m[1]) : "";
  }

  Index.prototype.meta = function () {
    var self = this;
    return load(this.base + "meta.js").then(function () { return store.meta[self.locale]; });
  };

  // Postings of a list as written (src/search.rs write_locale): [df, key, count, Δdoc × count, key, count, …] with
  // key = score × keys + section.
  function each(list, keys, fn) {
    var i = 1;
    while (i + 1 < list.length) {
      var key = list[i], count = list[i + 1], doc = 0;
      i += 2;
      for (var end = i + count; i < end; i++) {
        doc += list[i];
        fn(doc, key % keys, Math.floor(key / keys));
      }
    }
  }

  // Ranks pages: more query terms matched first, then the sum of scores weighted by rarity. Exact terms count
  // more than words that only start with what is being typed.
  Index.prototype.search = function (query) {
    var self = this, terms = queryTerms(query);
    if (!terms.length) return Promise.resolve({ terms: [], hits: [] });
    return this.meta().then(function (meta) {
      if (!meta) return { terms: terms, hits: [] };
      var needed = terms.map(function (t) { return shardOf(t.term, meta.shards); });
      return Promise.all(needed.map(function (i) { return load(self.base + "s" + i + ".js"); })).then(function () {
        var pages = {}, matched = [];
        terms.forEach(function (t, k) {
          var shard = store.shards[self.locale + "/" + needed[k]] || {};
          var lists = [];
          if (shard[t.term]) lists.push([t.term, shard[t.term], 1]);
          // A prefix needs its first three characters to find its shard; shorter words match whole.
          if (t.prefix && Array.from(t.term).length >= 3) {
            Object.keys(shard).forEach(function (key) {
              if (key !== t.term && key.lastIndexOf(t.term, 0) === 0) lists.push([key, shard[key], 0.7]);
            });
          }
          var forms = [];
          lists.forEach(function (entry) {
            forms.push(entry[0]);
            var idf = Math.log(1 + meta.docs / Math.max(1, entry[1][0]));
            each(entry[1], meta.keys || 64, function (doc, section, score) {
              var p = pages[doc] || (pages[doc] = { doc: doc, terms: {}, total: 0, best: -1, section: 0 });
              var value = score * idf * entry[2];
              if (!(k in p.terms) || p.terms[k] < value) {
                p.total += value - (p.terms[k] || 0);
                p.terms[k] = value;
              }
              if (value > p.best) { p.best = value; p.section = section; }
            });
          });
          matched.push(forms);
        });
        var hits = Object.keys(pages).map(function (d) {
          var p = pages[d];
          p.count = Object.keys(p.terms).length;
          return p;
        });
        hits.sort(function (a, b) { return b.count - a.count || b.total - a.total || a.doc - b.doc; });
        return { terms: terms, forms: matched, hits: hits };
      });
    });
  };

  Index.prototype.fragments = function (hits) {
    var self = this;
    return Promise.all(hits.map(function (h) {
      return load(self.base + "p/" + h.doc + ".js").then(function () {
        return store.pages[self.locale + "/" + h.doc];
      });
    }));
  };

  // ---- Excerpts ----

  // The folded text with, for each folded character, the index of the original character it came from.
  function foldMap(text) {
    var folded = [], from = [], chars = Array.from(text);
    chars.forEach(function (ch, i) {
      for (var f of foldChar(ch)) { folded.push(f); from.push(i); }
    });
    return { chars: chars, folded: folded, from: from };
  }

  function isWordChar(ch) { return ch !== undefined && classOf(ch) === 0; }

  // Where the terms occur in the text, as [start, end) ranges of original characters. A word matches at the start
  // of a word only, so "mail" marks "mailbox" but not "email".
  function occurrences(map, forms) {
    var ranges = [], folded = map.folded, n = folded.length;
    forms.forEach(function (form) {
      var f = Array.from(form);
      var cjk = classOf(f[0]) === 1;
      for (var i = 0; i + f.length <= n; i++) {
        var ok = true;
        for (var j = 0; j < f.length; j++) if (folded[i + j] !== f[j]) { ok = false; break; }
        if (!ok) continue;
        if (!cjk && isWordChar(folded[i - 1])) continue;
        ranges.push([map.from[i], map.from[i + f.length - 1] + 1]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push(r.slice());
    });
    return merged;
  }

  // An excerpt's length in columns: a CJK character is as wide as two Latin ones, so both show about two lines.
  var EXCERPT = 170, BEFORE = 50;

  function width(ch) { return isCjk(ch.codePointAt(0)) ? 2 : 1; }

  // Appends to `el` a short piece of `text` around the first hit, the hits in <mark>.
  function excerpt(el, text, forms) {
    var map = foldMap(text);
    var ranges = occurrences(map, forms);
    var chars = map.chars;
    var start = ranges.length ? ranges[0][0] : 0;
    for (var back = 0; start > 0 && back < BEFORE; ) back += width(chars[--start]);
    if (start > 0) {
      // Start at a word boundary when one is near.
      var space = chars.slice(start, start + 15).indexOf(" ");
      if (space >= 0) start += space + 1;
    }
    var end = start;
    for (var w = 0; end < chars.length && w < EXCERPT; ) w += width(chars[end++]);
    if (start > 0) el.appendChild(document.createTextNode("… "));
    var at = start;
    ranges.forEach(function (r) {
      if (r[1] <= start || r[0] >= end) return;
      var a = Math.max(r[0], start), b = Math.min(r[1], end);
      if (a > at) el.appendChild(document.createTextNode(chars.slice(at, a).join("")));
      var mark = document.createElement("mark");
      mark.textContent = chars.slice(a, b).join("");
      el.appendChild(mark);
      at = b;
    });
    if (end > at) el.appendChild(document.createTextNode(chars.slice(at, end).join("")));
    if (end < chars.length) el.appendChild(document.createTextNode(" …"));
  }

  function allForms(result) {
    var forms = [];
    (result.forms || []).forEach(function (f) { forms = forms.concat(f); });
    return forms;
  }

  // One result: the page title, the section heading when the hit is in a section, an excerpt.
  function resultItem(root, hit, fragment, forms) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    var section = fragment.s[hit.section] || fragment.s[0] || ["", "", ""];
    a.href = root + fragment.u.split("/").map(encodeURIComponent).join("/") +
      (section[0] ? "#" + encodeURIComponent(section[0]) : "");
    var title = document.createElement("span");
    title.className = "search-result-title";
    title.textContent = fragment.t;
    a.appendChild(title);
    if (section[1]) {
      var heading = document.createElement("span");
      heading.className = "search-result-section";
      heading.textContent = section[1];
      a.appendChild(heading);
    }
    var text = section[2] || (fragment.s[0] && fragment.s[0][2]) || "";
    if (text) {
      var p = document.createElement("span");
      p.className = "search-result-excerpt";
      excerpt(p, text, forms);
      a.appendChild(p);
    }
    li.appendChild(a);
    return li;
  }

  function status(form, count, query) {
    var key = count === 0 ? "noResults" : count === 1 ? "oneResult" : "count";
    return (form.dataset[key] || "").replace("{query}", query).replace("{count}", String(count));
  }

  // Runs a query and shows up to `limit` results in `list`; `latest` drops answers to older queries.
  function show(index, form, query, list, statusEl, limit, latest) {
    return index.search(query).then(function (result) {
      var top = result.hits.slice(0, limit);
      return index.fragments(top).then(function (fragments) {
        if (!latest()) return null;
        list.textContent = "";
        var forms = allForms(result);
        top.forEach(function (hit, i) {
          if (fragments[i]) list.appendChild(resultItem(form.dataset.root || "", hit, fragments[i], forms));
        });
        statusEl.textContent = result.terms.length ? status(form, result.hits.length, query.trim()) : "";
        return result;
      });
    });
  }

  // ---- The header box ----

  var form = document.querySelector('[data-quire="search-form"]');
  if (!form) return;
  var input = form.querySelector('[data-quire="search"]');
  var panel = form.querySelector('[data-quire="search-results"]');
  var index = new Index(form.dataset.index);
  var statusEl = document.createElement("p");
  statusEl.className = "search-status";
  statusEl.setAttribute("role", "status");
  var list = document.createElement("ul");
  var more = document.createElement("a");
  more.className = "search-all";
  more.textContent = form.dataset.all;
  panel.appendChild(statusEl);
  panel.appendChild(list);
  panel.appendChild(more);

  var seq = 0, timer = 0;
  // A search box takes no aria-expanded (that is a combobox's): the count in the status line is announced instead.
  var close = function () { panel.hidden = true; };
  var open = function () { panel.hidden = false; };

  var run = function () {
    var query = input.value;
    var mine = ++seq;
    if (!query.trim()) { list.textContent = ""; statusEl.textContent = ""; close(); return; }
    more.href = form.getAttribute("action") + "?q=" + encodeURIComponent(query);
    show(index, form, query, list, statusEl, 8, function () { return mine === seq; }).then(function (r) {
      if (r && mine === seq) {
        more.hidden = r.hits.length <= 8;
        open();
      }
    });
  };
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 60);
  });
  input.addEventListener("focus", function () { if (input.value.trim() && list.firstChild) open(); });

  var links = function () { return Array.prototype.slice.call(panel.querySelectorAll("a[href]")).filter(function (a) { return !a.hidden; }); };
  form.addEventListener("keydown", function (e) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (panel.hidden || !all.length) return;
      e.preventDefault();
      if (e.key === "ArrowDown") all[Math.min(all.length - 1, at + 1)].focus();
      else if (at <= 0) input.focus();
      else all[at - 1].focus();
    } else if (e.key === "Escape") {
      if (!panel.hidden) {
        e.preventDefault();
        e.stopPropagation();
        close();
        input.focus();
      } else if (input.value) {
        input.value = "";
      }
    } else if (e.key === "Enter" && e.target === input && !panel.hidden && list.querySelector("a")) {
      // Enter opens the best result; the results page is one arrow press away ("See all results").
      e.preventDefault();
      list.querySelector("a").click();
    }
  });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    input.focus();
    input.select();
  });

  // ---- The results page ----

  var page = document.querySelector('[data-quire="search-page"]');
  if (page) {
    var pageInput = page.querySelector('[data-quire="search-page-input"]');
    var pageList = page.querySelector('[data-quire="search-page-results"]');
    var pageStatus = page.querySelector('[data-quire="search-page-status"]');
    var q = new URLSearchParams(location.search).get("q") || "";
    pageInput.value = q;
    if (q.trim()) show(index, form, q, pageList, pageStatus, 50, function () { return true; });
    else pageInput.focus();
  }
})();
