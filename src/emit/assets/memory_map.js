(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('data').textContent);
  var B = D.buffers, N = B.name.length, W = 1000, H = 300, NS = 'http://www.w3.org/2000/svg';
  function group(v) { return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function human(v) {
    if (v < 1024) return v + ' B';
    var u = ['KiB', 'MiB', 'GiB', 'TiB'], k = -1;
    while (v >= 1024 && k < 3) { v /= 1024; k++; }
    return (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + ' ' + u[k];
  }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]; }); }
  function stepName(s) {
    var lo = 0, hi = D.steps.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (D.steps[mid][0] <= s) lo = mid + 1; else hi = mid; }
    if (lo > 0 && s < D.steps[lo - 1][1]) return D.steps[lo - 1][2];
    return 'step ' + s;
  }
  function el(tag, attrs, parent) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  var tip = document.getElementById('tip');
  var views = [], rectOf = new Array(N);

  function describe(i) {
    var p = D.pools[B.pool[i]], s = '<b>' + esc(B.name[i]) + '</b><br>' + esc(D.kinds[B.kind[i]]) + ', ' +
        group(B.size[i]) + ' bytes (' + human(B.size[i]) + ')<br>pool ' + esc(p.name) + ', offset ' + group(B.offset[i]) +
        ' .. ' + group(B.offset[i] + B.size[i]);
    if (D.timeline) {
      var ranges = (D.live && D.live[i]) || [[B.x0[i], B.x1[i]]];
      s += '<br>live ' + ranges.map(function (r) { return '[' + r[0] + ', ' + r[1] + ')'; }).join(' ');
      if (D.steps.length) s += '<br>from ' + esc(stepName(B.x0[i])) + ' to ' + esc(stepName(B.x1[i] - 1));
    }
    if (D.touched && D.touched[i]) s += '<br>' + esc(D.touched[i]).split(' | ').join('<br>');
    return s;
  }

  function drawAxes(v) {
    var p = v.pool, xs = v.xaxis, ys = v.yaxis, sd = v.side, pxW = v.svg.clientWidth || 800;
    xs.innerHTML = ''; ys.innerHTML = ''; sd.innerHTML = '';
    var span = p.x1 - p.x0, y0 = H - (v.vy + v.vh), y1 = H - v.vy;
    for (var k = 0; k <= 4; k++) {
      var a = (y0 + (y1 - y0) * k / 4) / H * v.ymax, py = 300 - 300 * k / 4;
      el('line', {x1: 72, x2: 78, y1: py, y2: py, stroke: '#888'}, ys);
      el('text', {x: 70, y: py + 3, 'text-anchor': 'end'}, ys).textContent = human(Math.round(a));
    }
    function px(step) { return ((step - p.x0) / span * W - v.vx) / v.vw * pxW; }
    var last = -1e9, n = 0;
    if (D.timeline && D.steps.length) {
      xs.setAttribute('height', 120);
      D.steps.forEach(function (st) {
        var x = (px(st[0]) + px(Math.max(st[1], st[0] + 1))) / 2;
        if (x < 0 || x > pxW || x - last < 13) return;
        last = x; n++;
        var t = el('text', {x: x, y: 10, 'text-anchor': 'end', transform: 'rotate(-55 ' + x + ' 10)'}, xs);
        t.textContent = st[2].length > 28 ? st[2].slice(0, 27) + '~' : st[2];
      });
    } else {
      xs.setAttribute('height', 30);
      var vis0 = p.x0 + v.vx / W * span, vis1 = p.x0 + (v.vx + v.vw) / W * span;
      var every = Math.max(1, Math.ceil((vis1 - vis0) / 10));
      for (var s = Math.ceil(vis0 / every) * every; s <= vis1; s += every) {
        var x = px(s);
        el('line', {x1: x, x2: x, y1: 0, y2: 4, stroke: '#888'}, xs);
        el('text', {x: x, y: 15, 'text-anchor': 'middle'}, xs).textContent = s;
      }
      el('text', {x: pxW, y: 28, 'text-anchor': 'end'}, xs).textContent = D.timeline ? 'timeline step' : 'buffer (no timeline: conflicts only)';
    }
    function sideLabel(bytes, text) {
      var py = (H - bytes / v.ymax * H - v.vy) / v.vh * 300;
      if (py >= -2 && py <= 302) el('text', {x: 4, y: py + 3}, sd).textContent = text;
    }
    sideLabel(p.lb, 'lower bound');
    if (p.limit !== null) sideLabel(Math.min(p.limit, v.ymax), 'limit ' + human(p.limit) + (p.limit > v.ymax ? ' (above)' : ''));
    if (p.size !== p.lb) sideLabel(p.size, 'size ' + human(p.size));
  }

  function setView(v, vx, vy, vw, vh) {
    v.vw = Math.min(W, Math.max(W / 1e6, vw)); v.vh = Math.min(H, Math.max(H / 1e9, vh));
    v.vx = Math.min(W - v.vw, Math.max(0, vx)); v.vy = Math.min(H - v.vh, Math.max(0, vy));
    v.svg.setAttribute('viewBox', v.vx + ' ' + v.vy + ' ' + v.vw + ' ' + v.vh);
    drawAxes(v);
  }
  function zoom(v, f, fx, fy) {
    var cx = v.vx + v.vw * fx, cy = v.vy + v.vh * fy;
    setView(v, cx - v.vw * fx / f, cy - v.vh * fy / f, v.vw / f, v.vh / f);
  }

  var panels = document.getElementById('panels');
  D.pools.forEach(function (p, pi) {
    var sec = document.createElement('section');
    sec.className = 'panel';
    var ratio = p.lb > 0 ? (p.size / p.lb).toFixed(3) : '1.000';
    var head = 'pool ' + esc(p.name) + ' (' + esc(p.kind) + '): ' + group(p.size) + ' bytes, lower bound ' + group(p.lb) +
        ' (' + ratio + 'x), ' + p.count + ' buffers';
    if (p.limit !== null) head += '; limit ' + group(p.limit) + ', headroom ' + group(p.limit - p.size);
    if (p.peak !== null) head += '; peak ' + group(p.peakBytes) + ' live at ' + esc(stepName(p.peak));
    sec.innerHTML = '<h2>' + head + '</h2><div class="tools"><button data-z="in">zoom in</button><button data-z="out">zoom out</button>' +
        '<button data-z="reset">reset</button><small>wheel: zoom (shift: time only, alt: address only), drag: pan, double-click: reset</small></div>';
    var mine = (D.overlaps || []).filter(function (o) { return o[0] === pi; });
    if (mine.length) {
      var list = document.createElement('details');
      list.className = 'overlaps';
      list.innerHTML = '<summary>' + mine.length + ' outputs written over their inputs (hatched)</summary><ul>' +
          mine.map(function (o) { return '<li>' + esc(o[6]) + '</li>'; }).join('') + '</ul>';
      sec.appendChild(list);
    }
    var plot = document.createElement('div');
    plot.className = 'plot';
    sec.appendChild(plot);
    // The pool's limit is drawn to scale unless it dwarfs the plan (then at the top, labelled "above").
    var used = Math.max(p.size, p.lb, 1);
    var v = {pool: p, ymax: p.limit !== null && p.limit <= 2 * used ? Math.max(used, p.limit) : used};
    v.yaxis = el('svg', {'class': 'yaxis'}, plot);
    v.svg = el('svg', {'class': 'main', viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', 'data-pool': p.name}, plot);
    v.side = el('svg', {'class': 'side'}, plot);
    var spacer = document.createElement('div'); plot.appendChild(spacer);
    v.xaxis = el('svg', {'class': 'xaxis'}, plot);
    var span = p.x1 - p.x0, html = [], stroke = N <= 2000;
    for (var i = 0; i < N; i++) {
      if (B.pool[i] !== pi) continue;
      var x = (B.x0[i] - p.x0) / span * W, w = Math.max((B.x1[i] - B.x0[i]) / span * W, 0.3);
      var h = B.size[i] / v.ymax * H, y = H - (B.offset[i] + B.size[i]) / v.ymax * H;
      html.push('<rect class="buf k' + B.kind[i] + '" data-b="' + i + '" x="' + x.toFixed(2) + '" y="' + y.toFixed(3) +
                '" width="' + w.toFixed(2) + '" height="' + Math.max(h, 0.05).toFixed(3) + '"' +
                (stroke ? ' stroke="#fff" stroke-width="0.5"' : '') + '></rect>');
    }
    (D.overlaps || []).forEach(function (o) {
      if (o[0] !== pi) return;
      var ox = (o[3] - p.x0) / span * W, ow = Math.max(1 / span * W, 0.3);
      var oy = H - o[5] / v.ymax * H, oh = Math.max((o[5] - o[4]) / v.ymax * H, 0.05);
      html.push('<rect class="overlap" data-x="' + o[1] + '" data-y="' + o[2] + '" x="' + ox.toFixed(2) + '" y="' +
                oy.toFixed(3) + '" width="' + ow.toFixed(2) + '" height="' + oh.toFixed(3) + '"></rect>');
    });
    if (p.limit !== null) {
      var limitY = H - Math.min(p.limit, v.ymax) / v.ymax * H;
      html.push('<line class="limit" x1="0" x2="' + W + '" y1="' + limitY + '" y2="' + limitY + '"></line>');
    }
    var lbY = H - p.lb / v.ymax * H;
    html.push('<line class="lb" x1="0" x2="' + W + '" y1="' + lbY + '" y2="' + lbY + '"></line>');
    if (p.peak !== null) {
      var px = ((p.peak - p.x0) + 0.5) / span * W;
      html.push('<line class="peak" x1="' + px + '" x2="' + px + '" y1="0" y2="' + H + '"></line>');
    }
    v.svg.innerHTML = html.join('');
    v.svg.querySelectorAll('rect.buf').forEach(function (r) { rectOf[+r.getAttribute('data-b')] = r; });
    panels.appendChild(sec);
    views.push(v);
    v.vx = 0; v.vy = 0; v.vw = W; v.vh = H;

    sec.querySelector('.tools').addEventListener('click', function (e) {
      var z = e.target.getAttribute && e.target.getAttribute('data-z');
      if (z === 'in') zoom(v, 2, 0.5, 0.5);
      else if (z === 'out') zoom(v, 0.5, 0.5, 0.5);
      else if (z === 'reset') setView(v, 0, 0, W, H);
    });
    v.svg.addEventListener('wheel', function (e) {
      e.preventDefault();
      var b = v.svg.getBoundingClientRect(), fx = (e.clientX - b.left) / b.width, fy = (e.clientY - b.top) / b.height;
      var f = e.deltaY < 0 ? 1.25 : 0.8, cx = v.vx + v.vw * fx, cy = v.vy + v.vh * fy;
      var fw = e.altKey ? 1 : f, fh = e.shiftKey ? 1 : f;
      setView(v, cx - v.vw * fx / fw, cy - v.vh * fy / fh, v.vw / fw, v.vh / fh);
    }, {passive: false});
    var drag = null;
    v.svg.addEventListener('mousedown', function (e) { drag = {x: e.clientX, y: e.clientY, vx: v.vx, vy: v.vy}; });
    window.addEventListener('mouseup', function () { drag = null; });
    window.addEventListener('mousemove', function (e) {
      if (!drag) return;
      var b = v.svg.getBoundingClientRect();
      setView(v, drag.vx - (e.clientX - drag.x) / b.width * v.vw, drag.vy - (e.clientY - drag.y) / b.height * v.vh, v.vw, v.vh);
    });
    v.svg.addEventListener('dblclick', function () { setView(v, 0, 0, W, H); });
    v.svg.addEventListener('mousemove', function (e) {
      var i = e.target.getAttribute('data-b');
      if (i === null || drag) { tip.style.display = 'none'; return; }
      tip.innerHTML = describe(+i);
      tip.style.display = 'block';
      var tx = e.clientX + 14, ty = e.clientY + 14;
      if (tx + tip.offsetWidth > window.innerWidth) tx = e.clientX - tip.offsetWidth - 10;
      if (ty + tip.offsetHeight > window.innerHeight) ty = e.clientY - tip.offsetHeight - 10;
      tip.style.left = tx + 'px'; tip.style.top = ty + 'px';
    });
    v.svg.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
  });
  views.forEach(drawAxes);
  window.addEventListener('resize', function () { views.forEach(drawAxes); });

  // The side table: sortable by any column (size, largest first, to start), filterable by name.
  var cols = [['name', function (i) { return B.name[i]; }], ['kind', function (i) { return D.kinds[B.kind[i]]; }],
              ['pool', function (i) { return D.pools[B.pool[i]].name; }], ['size', function (i) { return B.size[i]; }],
              ['offset', function (i) { return B.offset[i]; }], ['live', function (i) { return B.x0[i]; }]];
  var order = [], sortCol = 3, sortDir = -1, shown = 300, filter = '';
  var table = document.getElementById('buffers'), more = document.getElementById('more');
  function sortRows() {
    var key = cols[sortCol][1];
    order = [];
    for (var i = 0; i < N; i++) if (!filter || B.name[i].toLowerCase().indexOf(filter) >= 0) order.push(i);
    order.sort(function (a, b) { var x = key(a), y = key(b); return x < y ? -sortDir : x > y ? sortDir : a - b; });
    render();
  }
  function render() {
    var h = '<tr>' + cols.map(function (c, k) { return '<th data-c="' + k + '">' + c[0] + (k === sortCol ? (sortDir < 0 ? ' &#9660;' : ' &#9650;') : '') + '</th>'; }).join('') + '</tr>';
    var rows = order.slice(0, shown).map(function (i) {
      return '<tr data-b="' + i + '"><td title="' + esc(B.name[i]) + '">' + esc(B.name[i]) + '</td><td>' + D.kinds[B.kind[i]] + '</td><td>' +
          esc(D.pools[B.pool[i]].name) + '</td><td class="n">' + group(B.size[i]) + '</td><td class="n">' + group(B.offset[i]) +
          '</td><td class="n">' + (D.timeline ? B.x0[i] + '-' + B.x1[i] : '') + '</td></tr>';
    });
    table.innerHTML = h + rows.join('');
    more.style.display = order.length > shown ? 'inline' : 'none';
    more.textContent = 'show all ' + order.length + ' rows';
  }
  table.addEventListener('click', function (e) {
    var th = e.target.closest('th');
    if (th) { var c = +th.getAttribute('data-c'); sortDir = c === sortCol ? -sortDir : (c === 3 ? -1 : 1); sortCol = c; sortRows(); return; }
    var tr = e.target.closest('tr[data-b]');
    if (!tr) return;
    var old = document.querySelector('rect.buf.hl');
    if (old) old.classList.remove('hl');
    var r = rectOf[+tr.getAttribute('data-b')];
    if (r) { r.classList.add('hl'); r.closest('section').scrollIntoView({block: 'nearest'}); }
  });
  table.addEventListener('mouseover', function (e) {
    var tr = e.target.closest('tr[data-b]');
    if (!tr) return;
    document.querySelectorAll('rect.buf.hl').forEach(function (r) { r.classList.remove('hl'); });
    var r = rectOf[+tr.getAttribute('data-b')];
    if (r) r.classList.add('hl');
  });
  more.addEventListener('click', function () { shown = order.length; render(); });
  document.getElementById('filter').addEventListener('input', function (e) { filter = e.target.value.toLowerCase(); sortRows(); });
  sortRows();
  document.body.setAttribute('data-drawn', String(document.querySelectorAll('rect.buf').length));
})();
