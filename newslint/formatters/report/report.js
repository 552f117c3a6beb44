/* newslint HTML report: the findings table, the article view and the
   near-duplicate comparisons, drawn from the JSON in #report-data.
   Every string from the data is hostile: it only ever becomes a text node
   (textContent, append(string)); no innerHTML, no href from the data. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var RULES = D.rules, MSG = D.messages, ART = D.articles, FIND = D.findings, CLUSTERS = D.clusters;
  var TEXTS = null;  /* the article texts, most of a large report: parsed on first use */
  function textOf(a) {
    if (TEXTS === null) TEXTS = JSON.parse(document.getElementById("report-texts").textContent);
    return TEXTS[a];
  }
  var SEV_ORDER = { error: 0, warning: 1, info: 2 };
  var ICON = { error: "\u2716", warning: "\u25B2", info: "i" };
  var PAGE = 50, CLUSTER_PAGE = 20;
  document.documentElement.classList.add("js");

  function $(sel) { return document.querySelector(sel); }
  function el(tag, props) {
    var e = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        if (k === "class") e.className = props[k];
        else if (k === "text") e.textContent = props[k];
        else e.setAttribute(k, props[k]);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var kid = arguments[i];
      if (kid !== null && kid !== undefined) e.append(kid);
    }
    return e;
  }
  function hidden(text) { return el("span", { class: "visually-hidden", text: text }); }
  function sevLabel(sev) {
    return el("span", { class: "sev sev-" + sev },
      el("span", { class: "icon", "aria-hidden": "true", text: ICON[sev] || "?" }), " " + sev);
  }
  function where(f) {
    var a = ART[f[0]], id = a[0], path = a[1] === null ? id : a[1];
    var record = id !== path ? " (" + id.slice(path.length + 1) + ")" : "";
    return path + ":" + f[1] + record;
  }
  function count(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }
  function ruleText(r) { return RULES[r][0] + " " + RULES[r][1]; }

  /* ---- the findings table ------------------------------------------------ */
  var state = { rows: [], page: 0, key: null, dir: 1, current: -1 };
  var hay = null;
  var byArticle = null;

  function haystack(i) {
    if (hay === null) {
      hay = new Array(FIND.length);
      for (var k = 0; k < FIND.length; k++) {
        var f = FIND[k], a = ART[f[0]];
        hay[k] = (where(f) + "\n" + (a[2] || "") + "\n" + ruleText(f[3]) + "\n" + MSG[f[4]] + "\n" +
                  (a[4] || "") + "\n" + RULES[f[3]][2]).toLowerCase();
      }
    }
    return hay[i];
  }

  var SORTS = {
    sev: function (f) { return SEV_ORDER[RULES[f[3]][2]]; },
    rule: function (f) { return RULES[f[3]][0]; },
    msg: function (f) { return MSG[f[4]].toLowerCase(); },
    path: null,
    site: function (f) { return (ART[f[0]][4] || "").toLowerCase(); },
    score: function (f) { return ART[f[0]][5]; }
  };

  function applyFilters() {
    var terms = $("#q").value.toLowerCase().split(/\s+/).filter(Boolean);
    var sev = $("#sev").value, rule = $("#rule").value;
    var rows = [];
    for (var i = 0; i < FIND.length; i++) {
      var f = FIND[i];
      if (sev && RULES[f[3]][2] !== sev) continue;
      if (rule && RULES[f[3]][0] !== rule) continue;
      if (terms.length) {
        var h = haystack(i), ok = true;
        for (var t = 0; t < terms.length && ok; t++) ok = h.indexOf(terms[t]) !== -1;
        if (!ok) continue;
      }
      rows.push(i);
    }
    var keyFn = state.key && SORTS[state.key];
    if (keyFn) {
      var keys = new Map();
      rows.forEach(function (i) { keys.set(i, keyFn(FIND[i])); });
      var dir = state.dir;
      rows.sort(function (x, y) {
        var a = keys.get(x), b = keys.get(y);
        return a < b ? -dir : a > b ? dir : x - y;
      });
    } else if (state.dir < 0) {
      rows.reverse();
    }
    state.rows = rows;
    state.page = 0;
    renderTable();
  }

  function renderTable() {
    var rows = state.rows, pages = Math.max(1, Math.ceil(rows.length / PAGE));
    state.page = Math.min(Math.max(0, state.page), pages - 1);
    var start = state.page * PAGE, body = $("#findings-table tbody");
    var out = rows.slice(start, start + PAGE).map(function (i) {
      var f = FIND[i], a = ART[f[0]], sev = RULES[f[3]][2];
      var fix = f[5] ? el("span", { class: "badge", text: f[5] === 1 ? "[*] fixable" : "fixable (unsafe)" }) : null;
      var open = el("button", { type: "button", class: "open", "data-finding": String(i) }, where(f));
      var tr = el("tr", { "data-finding": String(i) },
        el("td", null, sevLabel(sev)),
        el("td", null, el("code", { text: RULES[f[3]][0] }), " " + RULES[f[3]][1]),
        el("td", { class: "msg" }, fix, MSG[f[4]]),
        el("td", null, open),
        el("td", { text: a[4] || "" }),
        el("td", { text: String(a[5]) }));
      if (i === state.current) tr.className = "current";
      return tr;
    });
    body.replaceChildren.apply(body, out);
    var total = FIND.length;
    $("#count").textContent = rows.length === total ? count(total, "finding")
      : rows.length.toLocaleString("en") + " of " + count(total, "finding") + " match";
    $(".pager .page-info").textContent = "Page " + (state.page + 1) + " of " + pages;
    document.querySelectorAll("#findings .pager button").forEach(function (b) {
      var p = b.getAttribute("data-page");
      b.disabled = (p === "first" || p === "prev") ? state.page === 0 : state.page === pages - 1;
    });
  }

  function setupTable() {
    var select = $("#rule"), seen = {};
    RULES.slice().sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; })
      .forEach(function (r) {
        if (seen[r[0]]) return;
        seen[r[0]] = 1;
        select.append(el("option", { value: r[0] }, r[0] + " " + r[1]));
      });
    var timer = null;
    $("#q").addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(applyFilters, FIND.length > 20000 ? 150 : 30);
    });
    $("#filter-form").addEventListener("submit", function (e) { e.preventDefault(); applyFilters(); });
    $("#sev").addEventListener("change", applyFilters);
    select.addEventListener("change", applyFilters);
    document.querySelectorAll("#findings-table th").forEach(function (th) {
      th.querySelector("button").addEventListener("click", function () {
        var key = th.getAttribute("data-key");
        state.dir = state.key === key || (key === "path" && state.key === null) ? -state.dir : 1;
        state.key = key === "path" ? null : key;
        document.querySelectorAll("#findings-table th").forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
        applyFilters();
      });
    });
    document.querySelectorAll("#findings .pager button").forEach(function (b) {
      b.addEventListener("click", function () {
        var p = b.getAttribute("data-page"), last = Math.ceil(state.rows.length / PAGE) - 1;
        state.page = p === "first" ? 0 : p === "last" ? last : state.page + (p === "next" ? 1 : -1);
        renderTable();
      });
    });
    var body = $("#findings-table tbody");
    body.addEventListener("click", function (e) {
      var b = e.target.closest("button.open");
      if (b) openArticle(Number(b.getAttribute("data-finding")));
    });
    body.addEventListener("keydown", function (e) {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      var tr = e.target.closest("tr");
      var next = tr && (e.key === "ArrowDown" ? tr.nextElementSibling : tr.previousElementSibling);
      if (next) { e.preventDefault(); next.querySelector("button.open").focus(); }
    });
    applyFilters();
  }

  /* ---- one article, its findings highlighted ------------------------------ */
  function findingsOf(a) {
    if (byArticle === null) {
      byArticle = new Map();
      FIND.forEach(function (f, i) {
        if (!byArticle.has(f[0])) byArticle.set(f[0], []);
        byArticle.get(f[0]).push(i);
      });
    }
    return byArticle.get(a) || [];
  }

  function lineText(first, last) { return first === last ? String(first) : first + "\u2013" + last; }

  function openArticle(fi) {
    var f = FIND[fi], ai = f[0], a = ART[ai], text = textOf(ai);
    state.current = fi;
    var body = $("#article-body");
    $("#article-h").textContent = "Article: " + (a[2] || (text && text.title) || a[0]);
    var meta = el("p", { class: "meta" }, el("code", { text: a[0] }),
      " \u00b7 published: " + (a[3] || "no date found") + " \u00b7 site: " + (a[4] || "unknown") +
      " \u00b7 quality score " + a[5]);
    var list = el("ol", { class: "finding-list" });
    findingsOf(ai).forEach(function (i) {
      var g = FIND[i];
      var b = el("button", { type: "button", "data-finding": String(i) },
        sevLabel(RULES[g[3]][2]), " line " + lineText(g[1], g[2]) + ": ",
        el("code", { text: RULES[g[3]][0] }), " " + MSG[g[4]]);
      if (i === fi) b.setAttribute("aria-current", "true");
      b.addEventListener("click", function () { openArticle(i); });
      list.append(el("li", null, b));
    });
    var parts = [meta, el("h3", { text: "Findings in this article" }), list];
    if (!text) {
      parts.push(el("p", { class: "note", text: "The text of this article is not in the report " +
        "(see the note under the summary)." }));
    } else {
      parts.push(el("h3", { text: "Text, with the selected finding highlighted" }));
      if (text.record && !f[6].length) {
        parts.push(el("p", { class: "note", text: "A record of a JSON file sits on one file line; " +
          "this finding is about the whole record." }));
      }
      parts.push(articleText(text, f, findingsOf(ai)));
      if (text.cut) parts.push(el("p", { class: "note", text: "This article is long: " + text.cut +
        " blocks far from its findings are left out of the report." }));
    }
    body.replaceChildren.apply(body, parts);
    var section = $("#article");
    section.hidden = false;
    renderTable();
    $("#article-h").focus();
    var hit = body.querySelector("li.hit");
    (hit || section).scrollIntoView({ block: hit ? "center" : "start" });
  }

  function articleText(text, f, all) {
    var hits = new Set(f[6]), others = new Set();
    all.forEach(function (i) { FIND[i][6].forEach(function (b) { if (!hits.has(b)) others.add(b); }); });
    var ol = el("ol", { class: "text" });
    function row(index, first, last, content, boiler) {
      var li = el("li", null, el("span", { class: "ln" }, hidden("line "), lineText(first, last)));
      var tx = el("span", { class: "tx" });
      if (hits.has(index)) { li.className = "hit"; tx.append(el("span", { class: "flag", text: "\u25B6 finding:" })); }
      else if (others.has(index)) { li.className = "other"; tx.append(el("span", { class: "flag", text: "\u2022 other finding:" })); }
      if (boiler) tx.append(el("span", { class: "badge", text: "boilerplate" }));
      var span = f[7];
      if (span && span[0] === index && span[2] <= content.length) {
        tx.append(content.slice(0, span[1]),
          el("mark", { class: "spot" }, hidden("[the finding: "), content.slice(span[1], span[2]), hidden("]")),
          content.slice(span[2]));
      } else {
        tx.append(content);
      }
      li.append(tx);
      ol.append(li);
    }
    if (text.title) row(-1, text.title_line || 1, text.title_line || 1, text.title, 0);
    var gap = 0;
    text.blocks.forEach(function (b, i) {
      if (b === null) { gap++; return; }
      if (gap) { ol.append(el("li", { class: "gap", text: "\u2026 " + gap + " blocks left out \u2026" })); gap = 0; }
      row(i, b[0], b[1], b[2], b[3]);
    });
    if (gap) ol.append(el("li", { class: "gap", text: "\u2026 " + gap + " blocks left out \u2026" }));
    return ol;
  }

  function closeArticle() {
    var section = $("#article");
    if (section.hidden) return;
    section.hidden = true;
    var b = document.querySelector('#findings-table button.open[data-finding="' + state.current + '"]');
    (b || $("#q")).focus();
  }

  /* ---- near-duplicate clusters and their diffs ---------------------------- */
  var clusterPage = 0;

  function renderClusters() {
    var pages = Math.max(1, Math.ceil(CLUSTERS.length / CLUSTER_PAGE));
    clusterPage = Math.min(Math.max(0, clusterPage), pages - 1);
    var dropped = CLUSTERS.reduce(function (n, c) { return n + c[1].length; }, 0);
    $("#cluster-count").textContent = CLUSTERS.length
      ? count(CLUSTERS.length, "cluster") + "; " + (dropped === 1 ? "1 copy" : dropped.toLocaleString("en") + " copies") +
        " to drop, keeping one original of each"
      : "No near-duplicate articles were found (rule NL601 near-duplicate).";
    var start = clusterPage * CLUSTER_PAGE, body = $("#cluster-table tbody");
    body.replaceChildren.apply(body, CLUSTERS.slice(start, start + CLUSTER_PAGE).map(function (c, k) {
      var ci = start + k, keep = ART[c[0]];
      var copies = el("ul");
      c[1].forEach(function (copy, j) {
        var b = el("button", { type: "button", "data-cluster": String(ci), "data-copy": String(j) }, "Compare");
        copies.append(el("li", null, el("code", { text: ART[copy[0]][0] }),
          " (" + (copy[1] === null ? "similarity not measured" : copy[1] === 1 ? "exact copy" : copy[1].toFixed(2)) + ") ", b));
      });
      return el("tr", null, el("td", { text: "Cluster " + (ci + 1) + " (" + (c[1].length + 1) + " articles)" }),
        el("td", null, el("code", { text: keep[0] }), keep[2] ? el("div", { text: keep[2] }) : null),
        el("td", null, copies));
    }));
    $("#cluster-pager .page-info").textContent = "Page " + (clusterPage + 1) + " of " + pages;
    document.querySelectorAll("#cluster-pager button").forEach(function (b) {
      b.disabled = b.getAttribute("data-page") === "prev" ? clusterPage === 0 : clusterPage === pages - 1;
    });
    $("#cluster-pager").hidden = pages < 2;
  }

  function paragraphs(text) {
    if (!text) return [];
    var out = [];
    if (text.title) out.push({ t: text.title, b: 0 });
    text.blocks.forEach(function (b) { if (b !== null) out.push({ t: b[2], b: b[3] }); });
    return out;
  }
  function norm(s) { return s.replace(/\s+/g, " ").trim().toLowerCase(); }

  /* Longest common subsequence of two lists of keys: the ops that turn a into b. */
  function lcsOps(a, b, limit) {
    var n = a.length, m = b.length, ops = [], i, j;
    if (n * m > limit) {
      for (i = 0; i < n; i++) ops.push(["-", i]);
      for (j = 0; j < m; j++) ops.push(["+", j]);
      return ops;
    }
    var L = new Int32Array((n + 1) * (m + 1)), w = m + 1;
    for (i = n - 1; i >= 0; i--) {
      for (j = m - 1; j >= 0; j--) {
        L[i * w + j] = a[i] === b[j] ? L[(i + 1) * w + j + 1] + 1 : Math.max(L[(i + 1) * w + j], L[i * w + j + 1]);
      }
    }
    i = 0; j = 0;
    while (i < n && j < m) {
      if (a[i] === b[j]) { ops.push(["=", i, j]); i++; j++; }
      else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) { ops.push(["-", i]); i++; }
      else { ops.push(["+", j]); j++; }
    }
    for (; i < n; i++) ops.push(["-", i]);
    for (; j < m; j++) ops.push(["+", j]);
    return ops;
  }

  function wordDiff(left, right) {
    var a = left.match(/\S+\s*/g) || [], b = right.match(/\S+\s*/g) || [];
    var ops = lcsOps(a.map(function (x) { return x.trim(); }), b.map(function (x) { return x.trim(); }), 400000);
    var l = el("span"), r = el("span");
    ops.forEach(function (op) {
      if (op[0] === "=") { l.append(a[op[1]]); r.append(b[op[2]]); }
      else if (op[0] === "-") l.append(el("del", { text: a[op[1]] }));
      else r.append(el("ins", { text: b[op[1]] }));
    });
    return [l, r];
  }

  /* Between two runs of equal paragraphs: pair each removed paragraph with
     the next added one that shares most of its words (a reworded or re-split
     paragraph), in order; the others stand alone. */
  function pairUp(dels, inss) {
    var out = [], next = 0;
    dels.forEach(function (d) {
      var best = -1, bestScore = 0.5;
      for (var k = next; k < inss.length; k++) {
        var score = overlap(words(d, "a"), words(inss[k], "b"));
        if (score > bestScore) { best = k; bestScore = score; }
      }
      if (best < 0) { out.push([d, null]); return; }
      for (; next < best; next++) out.push([null, inss[next]]);
      out.push([d, inss[best]]);
      next = best + 1;
    });
    for (; next < inss.length; next++) out.push([null, inss[next]]);
    return out;
  }
  var wordCache = { a: new Map(), b: new Map() }, sides = { a: null, b: null };
  function words(i, side) {
    var cache = wordCache[side];
    if (!cache.has(i)) cache.set(i, new Set(norm(sides[side][i].t).split(" ")));
    return cache.get(i);
  }
  /* shared words over the words of the shorter paragraph */
  function overlap(x, y) {
    var small = x.size < y.size ? x : y, big = small === x ? y : x, n = 0;
    small.forEach(function (w) { if (big.has(w)) n++; });
    return small.size ? n / small.size : 0;
  }

  function cell(cls, p) {
    var d = el("div", { class: cls });
    if (p && p.b) d.append(el("span", { class: "badge", text: "boilerplate" }));
    return d;
  }

  function compare(ci, j) {
    var c = CLUSTERS[ci], keep = ART[c[0]], copy = ART[c[1][j][0]], sim = c[1][j][1];
    var A = paragraphs(textOf(c[0])), B = paragraphs(textOf(c[1][j][0]));
    sides = { a: A, b: B };
    wordCache = { a: new Map(), b: new Map() };
    var grid = el("div", { class: "diff", role: "group", "aria-label": "Side-by-side comparison" });
    function add(mark, word, left, right) {
      grid.append(el("div", { class: "mark " + (left.className.split(" ")[0] || "") }, el("span", { "aria-hidden": "true", text: mark }), hidden(word)), left, right);
    }
    grid.append(el("div", { class: "head", text: "" }),
      el("div", { class: "head" }, "Kept original: ", el("code", { text: keep[0] })),
      el("div", { class: "head" }, "Copy: ", el("code", { text: copy[0] }),
        " \u2014 " + (sim === null ? "similarity not measured" : sim === 1 ? "exact copy" : "similarity " + sim.toFixed(2))));
    var ops = lcsOps(A.map(function (p) { return norm(p.t); }), B.map(function (p) { return norm(p.t); }), 4000000);
    var k = 0;
    while (k < ops.length) {
      var op = ops[k];
      if (op[0] === "=") {
        var l = cell("same", A[op[1]]), r = cell("same", B[op[2]]);
        l.append(A[op[1]].t); r.append(B[op[2]].t);
        add("=", "same in both", l, r);
        k++;
        continue;
      }
      var dels = [], inss = [];
      while (k < ops.length && ops[k][0] !== "=") { (ops[k][0] === "-" ? dels : inss).push(ops[k][1]); k++; }
      pairUp(dels, inss).forEach(function (pair) {
        var pa = pair[0] === null ? null : A[pair[0]], pb = pair[1] === null ? null : B[pair[1]];
        if (pa && pb) {
          var parts = wordDiff(pa.t, pb.t), cl = cell("changed", pa), cr = cell("changed", pb);
          cl.append(parts[0]); cr.append(parts[1]);
          add("~", "changed", cl, cr);
        } else if (pa) {
          var ca = cell("only-a", pa); ca.append(el("del", { text: pa.t }));
          add("\u2212", "only in the original", ca, el("div", { class: "none", text: "(not in the copy)" }));
        } else {
          var cb = cell("only-b", pb); cb.append(el("ins", { text: pb.t }));
          add("+", "only in the copy", el("div", { class: "none", text: "(not in the original)" }), cb);
        }
      });
    }
    if (!A.length || !B.length) grid.append(el("p", { class: "note", text: "The text of one of these articles is not in the report." }));
    var diff = $("#diff");
    $("#diff-h").textContent = "Cluster " + (ci + 1) + ": the kept original and copy " + (j + 1);
    $("#diff-body").replaceChildren(grid);
    diff.hidden = false;
    $("#diff-h").focus();
    diff.scrollIntoView({ block: "start" });
  }

  function setupClusters() {
    $("#cluster-table tbody").addEventListener("click", function (e) {
      var b = e.target.closest("button[data-cluster]");
      if (b) compare(Number(b.getAttribute("data-cluster")), Number(b.getAttribute("data-copy")));
    });
    document.querySelectorAll("#cluster-pager button").forEach(function (b) {
      b.addEventListener("click", function () {
        clusterPage += b.getAttribute("data-page") === "next" ? 1 : -1;
        renderClusters();
      });
    });
    renderClusters();
  }

  /* ---- keys: / searches, Esc closes the article ---------------------------- */
  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName);
    if (e.key === "/" && !typing) { e.preventDefault(); $("#q").focus(); }
    else if (e.key === "Escape") closeArticle();
  });
  $("#article-back").addEventListener("click", closeArticle);
  setupTable();
  setupClusters();
  window.newslintReadyMs = performance.now();
})();
