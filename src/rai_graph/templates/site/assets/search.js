/* rai-graph site search: ids and titles, from file:// as served.
 *
 * The index (assets/search-index.js, written by rai-graph) is loaded with a <script> tag the first
 * time the search box gets the focus, so pages load without it and no web server is needed.
 * Ranking: the id typed exactly (RAI-EVAL-08, "Art. 27(1)", "MEASURE 2.11", a system's name) first,
 * then ids it begins, then ids containing it, then titles holding every word typed. Everything from
 * the index is written with textContent: nothing in the data is ever parsed as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var base = script ? script.src.replace(/assets\/search\.js(\?.*)?$/, "") : "";
  var INDEX = "RAI_GRAPH_SEARCH_INDEX";
  var LIMIT = 12;
  var state = { index: null, prepared: null, loading: false, waiting: [] };

  /* Lower-case words: letters and digits apart, numbers without leading zeros. */
  function tokens(text) {
    var flat = String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    var found = flat.match(/[a-z]+|[0-9]+/g) || [];
    return found.map(function (t) { return /^[0-9]+$/.test(t) ? String(parseInt(t, 10)) : t; });
  }

  function prepare(index) {
    return index.entries.map(function (row, position) {
      return {
        kind: index.kinds[row[0]], kindRank: row[0], id: row[1], title: row[2],
        detail: index.details[row[3]], href: index.folders[row[4]] + row[5] + ".html",
        idTokens: tokens(row[1]), words: tokens(row[2] + " " + index.details[row[3]]),
        position: position
      };
    });
  }

  function startsWith(list, prefix, lastMayBePartial) {
    if (prefix.length > list.length) return false;
    for (var i = 0; i < prefix.length; i++) {
      var last = i === prefix.length - 1;
      if (list[i] !== prefix[i] && !(last && lastMayBePartial && list[i].indexOf(prefix[i]) === 0)) return false;
    }
    return true;
  }

  function contains(list, part) {
    for (var start = 0; start + part.length <= list.length; start++) {
      if (startsWith(list.slice(start), part, true)) return true;
    }
    return false;
  }

  function score(entry, query) {
    var id = entry.idTokens;
    if (!query.length) return 0;
    if (id.length === query.length && startsWith(id, query, false)) return 1000;
    if (startsWith(id, query, false)) return 800 - Math.min(id.length - query.length, 99);
    if (startsWith(id, query, true)) return 700 - Math.min(id.length - query.length, 99);
    if (contains(id, query)) return 500;
    /* Every word typed begins a word of the title (a number must be the whole number). */
    var words = entry.words.concat(id);
    for (var q = 0; q < query.length; q++) {
      var numeric = /^[0-9]/.test(query[q]);
      var hit = false;
      for (var w = 0; w < words.length && !hit; w++) {
        hit = numeric ? words[w] === query[q] : words[w].indexOf(query[q]) === 0;
      }
      if (!hit) return 0;
    }
    return 200;
  }

  /* The best entries for a query, best first (ties: kind order, then shorter ids, then site order). */
  function search(text, limit) {
    var query = tokens(text);
    if (!state.prepared || !query.length) return [];
    var hits = [];
    state.prepared.forEach(function (entry) {
      var value = score(entry, query);
      if (value > 0) hits.push({ entry: entry, score: value });
    });
    hits.sort(function (a, b) {
      return b.score - a.score || a.entry.kindRank - b.entry.kindRank ||
        a.entry.idTokens.length - b.entry.idTokens.length || a.entry.position - b.entry.position;
    });
    return hits.slice(0, limit || LIMIT).map(function (hit) { return hit.entry; });
  }

  function load(then) {
    if (state.prepared) { then(); return; }
    state.waiting.push(then);
    if (state.loading) return;
    state.loading = true;
    var started = performance.now();
    var tag = document.createElement("script");
    tag.src = base + "assets/search-index.js";
    tag.onload = function () {
      state.index = window[INDEX];
      state.prepared = prepare(state.index);
      api.loadMilliseconds = performance.now() - started;
      var waiting = state.waiting;
      state.waiting = [];
      waiting.forEach(function (callback) { callback(); });
    };
    tag.onerror = function () { state.loading = false; };
    document.head.appendChild(tag);
  }

  function build() {
    var header = document.querySelector(".md-header__inner");
    if (!header || document.querySelector(".rg-search")) return;
    var form = document.createElement("form");
    form.className = "rg-search";
    form.setAttribute("role", "search");
    var input = document.createElement("input");
    input.type = "search";
    input.className = "rg-search-input";
    input.placeholder = "Search ids and titles";
    input.setAttribute("aria-label", "Search controls, clauses and systems by id or title");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    var list = document.createElement("ol");
    list.className = "rg-search-results";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    form.appendChild(input);
    form.appendChild(list);
    var before = header.querySelector(".md-header__option, .md-header__source");
    header.insertBefore(form, before);

    var selected = 0;
    function show() {
      var found = search(input.value);
      list.textContent = "";
      found.forEach(function (entry, position) {
        var item = document.createElement("li");
        item.className = "rg-search-hit" + (position === selected ? " rg-search-selected" : "");
        item.setAttribute("role", "option");
        var link = document.createElement("a");
        link.href = base + entry.href;
        var kind = document.createElement("span");
        kind.className = "rg-search-kind";
        kind.textContent = entry.kind;
        var id = document.createElement("strong");
        id.className = "rg-search-id";
        id.textContent = entry.id;
        var title = document.createElement("span");
        title.className = "rg-search-title";
        title.textContent = entry.title + (entry.detail ? " · " + entry.detail : "");
        link.appendChild(kind);
        link.appendChild(id);
        link.appendChild(title);
        item.appendChild(link);
        list.appendChild(item);
      });
      if (!found.length && input.value.trim()) {
        var none = document.createElement("li");
        none.className = "rg-search-none";
        none.textContent = state.prepared ? "No id or title matches." : "Loading the index…";
        list.appendChild(none);
      }
      list.hidden = !input.value.trim();
    }
    input.addEventListener("focus", function () { load(show); });
    input.addEventListener("input", function () { selected = 0; load(show); });
    input.addEventListener("keydown", function (event) {
      var count = list.querySelectorAll(".rg-search-hit").length;
      if (event.key === "ArrowDown" && count) { selected = (selected + 1) % count; show(); event.preventDefault(); }
      if (event.key === "ArrowUp" && count) { selected = (selected + count - 1) % count; show(); event.preventDefault(); }
      if (event.key === "Escape") { input.value = ""; show(); input.blur(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      load(function () {
        var found = search(input.value);
        if (found.length) window.location.href = base + found[Math.min(selected, found.length - 1)].href;
      });
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
      if (event.key === "/" && !typing) { input.focus(); event.preventDefault(); }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) list.hidden = true;
    });
  }

  var api = { search: search, load: load, tokens: tokens, loadMilliseconds: null };
  window.raiGraphSearch = api;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build);
  else build();
})();
