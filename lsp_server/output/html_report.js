// Filters and charts for the Marginalia report. No libraries and no requests: the
// page's Content-Security-Policy forbids them. Document text only ever reaches the
// page through textContent, never as markup.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var findings = Array.prototype.slice.call(document.querySelectorAll('.finding'));
  var sectionChart = document.getElementById('section-chart');
  var sentenceChart = document.getElementById('sentence-chart');
  // The charts are <svg> elements parsed from the page, so they know their namespace.
  var SVG = sectionChart.namespaceURI;
  var WIDTH = 640;
  var LABEL = 230;
  var ROW = 20;
  var BIN = 5;
  var LABEL_CHARS = 30;
  var MAX_ROWS_WITH_EMPTY = 25;
  var note = document.getElementById('section-note');
  var group = data.files.length > 1 ? 'file' : 'section';
  var LAST_BIN = 50;

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function clear(svg) {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
  }

  function clip(text, n) {
    return text.length > n ? text.slice(0, n - 1) + '\u2026' : text;
  }

  function checked(name) {
    var on = {};
    document.querySelectorAll('input[name="' + name + '"]').forEach(function (box) { on[box.value] = box.checked; });
    return on;
  }

  // "#plugin=spelling,style&severity=error" -> checkboxes
  function readHash() {
    var hash = window.location.hash.replace(/^#/, '');
    if (!hash) { return; }
    hash.split('&').forEach(function (part) {
      var pair = part.split('=');
      if (pair.length !== 2) { return; }
      if (pair[0] === 'group') {
        if (pair[1] === 'file' || pair[1] === 'section') { group = pair[1]; }
        return;
      }
      var wanted = decodeURIComponent(pair[1]).split(',');
      document.querySelectorAll('input[name="' + pair[0] + '"]').forEach(function (box) {
        box.checked = wanted.indexOf(box.value) !== -1;
      });
    });
  }

  function writeHash() {
    var parts = [];
    ['plugin', 'severity'].forEach(function (name) {
      var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name="' + name + '"]'));
      var on = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      if (on.length !== boxes.length) { parts.push(name + '=' + encodeURIComponent(on.join(','))); }
    });
    parts.push('group=' + group);
    try {
      history.replaceState(null, '', parts.length ? '#' + parts.join('&') : window.location.pathname);
    } catch (e) {
      // Some browsers refuse replaceState on file: pages; the filters still work.
    }
  }

  function basename(path) {
    return path.split('/').pop();
  }

  // One row per file, or per heading (with the stretch before the first heading when it has findings).
  function sectionRows(counts) {
    var many = data.files.length > 1;
    var rows = [];
    data.files.forEach(function (file, f) {
      if (group === 'file') {
        var total = 0;
        Object.keys(counts).forEach(function (key) { if (key.split(':')[0] === String(f)) { total += counts[key]; } });
        rows.push({ file: f, section: null, label: file.path, count: total });
        return;
      }
      var prefix = many ? basename(file.path) + ' \u203a ' : '';
      if ((counts[f + ':-1'] || 0) > 0 || file.sections.length === 0) {
        rows.push({ file: f, section: -1, label: file.sections.length ? prefix + '(before the first heading)' : file.path, count: counts[f + ':-1'] || 0 });
      }
      file.sections.forEach(function (s, i) {
        rows.push({ file: f, section: i, label: prefix + s.title, count: counts[f + ':' + i] || 0 });
      });
    });
    return rows;
  }

  function drawSections(visible) {
    clear(sectionChart);
    var counts = {};
    visible.forEach(function (li) {
      var key = li.dataset.file + ':' + li.dataset.section;
      counts[key] = (counts[key] || 0) + 1;
    });
    var rows = sectionRows(counts);
    // A book has hundreds of headings: past a screenful, only rows with findings are drawn.
    var empty = 0;
    if (rows.length > MAX_ROWS_WITH_EMPTY) {
      empty = rows.filter(function (r) { return r.count === 0; }).length;
      rows = rows.filter(function (r) { return r.count > 0; });
    }
    note.textContent = empty ? empty + (group === 'file' ? ' files' : ' sections') + ' without findings not shown' : '';
    var max = Math.max(1, Math.max.apply(null, rows.map(function (r) { return r.count; }).concat([0])));
    var height = Math.max(1, rows.length) * ROW + 10;
    sectionChart.setAttribute('viewBox', '0 0 ' + WIDTH + ' ' + height);
    sectionChart.dataset.rows = String(rows.length);
    sectionChart.dataset.group = group;
    rows.forEach(function (r, i) {
      var y = 5 + i * ROW;
      var w = (WIDTH - LABEL - 40) * r.count / max;
      var label = el('text', { x: LABEL - 6, y: y + 14, 'text-anchor': 'end' }, clip(r.label, LABEL_CHARS));
      label.appendChild(el('title', {}, r.label));
      sectionChart.appendChild(label);
      var attrs = { 'class': 'bar', x: LABEL, y: y + 3, width: w.toFixed(1), height: ROW - 6, 'data-count': r.count, 'data-file': r.file };
      if (r.section !== null) { attrs['data-section'] = r.section; }
      sectionChart.appendChild(el('rect', attrs));
      sectionChart.appendChild(el('text', { x: LABEL + w + 4, y: y + 14 }, String(r.count)));
    });
  }

  function drawSentences() {
    var lengths = [];
    data.files.forEach(function (file) { lengths = lengths.concat(file.sentences); });
    var bins = [];
    for (var lo = 1; lo <= LAST_BIN; lo += BIN) { bins.push({ lo: lo, hi: lo + BIN - 1, count: 0 }); }
    bins.push({ lo: LAST_BIN + 1, hi: Infinity, count: 0 });
    lengths.forEach(function (n) {
      var i = Math.min(bins.length - 1, Math.floor((n - 1) / BIN));
      bins[i].count += 1;
    });
    document.getElementById('sentence-total').textContent = String(lengths.length);
    var height = 236;
    var top = 22; // room for the tallest bar's count
    var plot = height - 40 - top;
    var step = (WIDTH - 40) / bins.length;
    var max = Math.max(1, Math.max.apply(null, bins.map(function (b) { return b.count; })));
    sentenceChart.setAttribute('viewBox', '0 0 ' + WIDTH + ' ' + height);
    sentenceChart.dataset.sentences = String(lengths.length);
    sentenceChart.appendChild(el('line', { 'class': 'axis', x1: 30, y1: top + plot, x2: WIDTH - 5, y2: top + plot }));
    bins.forEach(function (b, i) {
      var h = plot * b.count / max;
      var x = 32 + i * step;
      var range = b.hi === Infinity ? b.lo + '+' : b.lo + '\u2013' + b.hi;
      var bar = el('rect', { 'class': 'bar', x: x.toFixed(1), y: (top + plot - h).toFixed(1), width: (step - 4).toFixed(1), height: h.toFixed(1), 'data-count': b.count, 'data-range': range });
      bar.appendChild(el('title', {}, range + ' words: ' + b.count + ' sentences'));
      sentenceChart.appendChild(bar);
      sentenceChart.appendChild(el('text', { x: (x + step / 2 - 2).toFixed(1), y: top + plot + 14, 'text-anchor': 'middle' }, range));
      if (b.count) {
        sentenceChart.appendChild(el('text', { x: (x + step / 2 - 2).toFixed(1), y: (top + plot - 4 - h).toFixed(1), 'text-anchor': 'middle' }, String(b.count)));
      }
    });
  }

  function apply() {
    var plugins = checked('plugin');
    var severities = checked('severity');
    var visible = [];
    findings.forEach(function (li) {
      var show = plugins[li.dataset.plugin] !== false && severities[li.dataset.severity] !== false;
      li.hidden = !show;
      if (show) { visible.push(li); }
    });
    document.querySelectorAll('.file').forEach(function (section) {
      var count = section.querySelector('.count');
      var n = section.querySelectorAll('.finding:not([hidden])').length;
      count.dataset.shown = String(n);
      count.textContent = n === Number(count.dataset.total) ? String(n) : n + ' / ' + count.dataset.total;
    });
    var shown = document.getElementById('shown');
    shown.dataset.shown = String(visible.length);
    shown.querySelector('.shown').textContent = String(visible.length);
    drawSections(visible);
  }

  document.getElementById('filters').addEventListener('change', function () { apply(); writeHash(); });
  document.getElementById('group').addEventListener('change', function (event) {
    group = event.target.value;
    apply();
    writeHash();
  });
  window.addEventListener('hashchange', function () { readHash(); apply(); });
  readHash();
  document.querySelectorAll('input[name="group"]').forEach(function (radio) { radio.checked = radio.value === group; });
  drawSentences();
  apply();
  document.body.dataset.ready = 'true';
}());
