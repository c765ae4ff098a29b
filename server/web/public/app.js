// Leercultuurscan client script: progressive enhancement only. Every page works without it; with it,
// questionnaire answers autosave, links copy with one click, response rates refresh, the dialogue
// model can be placed by clicking or dragging, and charts are drawn with Chart.js.
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  var body = document.body;
  var text = function (key, fallback) {
    return (body && body.dataset[key]) || fallback;
  };

  // ---- autosave of questionnaire pages ---------------------------------------------------------
  function setupAutosave(form) {
    var status = form.querySelector('[data-autosave-status]');
    var csrf = form.querySelector('input[name="_csrf"]');
    var timer = null;
    var dirty = false;
    var inFlight = null;

    function payload() {
      var data = new URLSearchParams(new FormData(form));
      data.delete('nav');
      data.set('nav', 'stay');
      return data;
    }
    function show(msg) {
      if (status) status.textContent = msg;
    }
    function save() {
      timer = null;
      if (!dirty) return inFlight || Promise.resolve();
      dirty = false;
      show(text('autosaveSaving', '…'));
      inFlight = fetch(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf ? csrf.value : '' },
        body: payload().toString(),
      })
        .then(function (res) {
          show(res.ok ? text('autosaveSaved', 'Saved') : text('autosaveFailed', 'Not saved'));
          if (res.ok) form.dataset.savedAt = String(Date.now());
        })
        .catch(function () {
          dirty = true;
          show(text('autosaveFailed', 'Not saved'));
        })
        .then(function () {
          inFlight = null;
        });
      return inFlight;
    }
    form.addEventListener('change', function (e) {
      if (e.target && e.target.name === '_active') return;
      dirty = true;
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 400);
    });
    // Leaving the page with unsaved changes: send them in the background.
    window.addEventListener('pagehide', function () {
      if (!dirty || !navigator.sendBeacon) return;
      navigator.sendBeacon(form.action, payload());
      dirty = false;
    });
    // A normal submit (Next/Previous) saves on the server anyway; stop the pending background save.
    form.addEventListener('submit', function () {
      if (timer) clearTimeout(timer);
      dirty = false;
    });
  }

  // ---- copy buttons -------------------------------------------------------------------------------
  function setupCopy(button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var target = document.getElementById(button.dataset.copyTarget);
      if (!target) return;
      var value = target.value || target.textContent || '';
      var done = function () {
        var original = button.dataset.label || button.textContent;
        button.dataset.label = original;
        button.textContent = button.dataset.copiedLabel || 'Copied';
        setTimeout(function () {
          button.textContent = original;
        }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(value).then(done, function () {
          if (target.select) target.select();
        });
      } else if (target.select) {
        target.select();
        if (document.execCommand) document.execCommand('copy');
        done();
      }
    });
  }

  // ---- live regions refreshed from the server ------------------------------------------------------
  function setupRefresh(el) {
    var seconds = Number(el.dataset.refreshSeconds || '15');
    function tick() {
      if (document.hidden) return;
      fetch(el.dataset.refreshUrl, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (res) {
          return res.ok ? res.text() : null;
        })
        .then(function (html) {
          if (html !== null) {
            el.innerHTML = html;
            el.dataset.refreshedAt = String(Date.now());
          }
        })
        .catch(function () {});
    }
    setInterval(tick, seconds * 1000);
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden) tick();
    });
  }

  // ---- confirmation before destructive actions ---------------------------------------------------
  function setupConfirm(form) {
    form.addEventListener('submit', function (e) {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  }

  // ---- dialogue model: click or drag to place, in step with the numeric inputs ----------------------
  var SIZE = 400;
  function setupPlacement(root) {
    var svg = root.querySelector('svg[data-quadrant-editable]');
    if (!svg) return;
    var pickers = root.querySelectorAll('input[name="_active"]');
    root.querySelectorAll('[data-frame-picker][hidden]').forEach(function (el) {
      el.hidden = false;
    });
    var coords = {};
    root.querySelectorAll('[data-coords]').forEach(function (fs) {
      coords[fs.dataset.coords] = { fs: fs, x: fs.querySelector('[data-axis="x"]'), y: fs.querySelector('[data-axis="y"]') };
    });
    function active() {
      var checked = root.querySelector('input[name="_active"]:checked');
      return checked ? checked.value : null;
    }
    function markerOf(frame) {
      return svg.querySelector('.marker-own[data-frame="' + frame + '"]');
    }
    function highlight() {
      var a = active();
      Object.keys(coords).forEach(function (f) {
        coords[f].fs.classList.toggle('is-active', f === a);
        var m = markerOf(f);
        if (m) m.classList.toggle('is-active', f === a);
      });
    }
    function toSvg(v) {
      return ((v + 100) / 200) * SIZE;
    }
    function valueOf(input) {
      var n = Number(input.value);
      return input.value.trim() === '' || !isFinite(n) ? null : Math.max(-100, Math.min(100, n));
    }
    function updateArrows() {
      svg.querySelectorAll('line[data-from][data-to]').forEach(function (line) {
        var a = svg.querySelector('.marker[data-key="' + line.dataset.from + '"]');
        var b = svg.querySelector('.marker[data-key="' + line.dataset.to + '"]');
        var own = a && b && a.classList.contains('marker-own') && b.classList.contains('marker-own');
        if (!own) return;
        var visible = a && b && a.getAttribute('visibility') !== 'hidden' && b.getAttribute('visibility') !== 'hidden';
        if (!visible) {
          line.setAttribute('visibility', 'hidden');
          return;
        }
        var pa = a.transform.baseVal.consolidate().matrix;
        var pb = b.transform.baseVal.consolidate().matrix;
        var dx = pb.e - pa.e;
        var dy = pb.f - pa.f;
        var len = Math.sqrt(dx * dx + dy * dy);
        if (len < 34) {
          line.setAttribute('visibility', 'hidden');
          return;
        }
        var ux = dx / len;
        var uy = dy / len;
        line.removeAttribute('visibility');
        line.setAttribute('x1', (pa.e + ux * 18).toFixed(1));
        line.setAttribute('y1', (pa.f + uy * 18).toFixed(1));
        line.setAttribute('x2', (pb.e - ux * 22).toFixed(1));
        line.setAttribute('y2', (pb.f - uy * 22).toFixed(1));
      });
    }
    function moveMarker(frame) {
      var c = coords[frame];
      var m = markerOf(frame);
      if (!c || !m) return;
      var x = valueOf(c.x);
      var y = valueOf(c.y);
      if (x === null || y === null) {
        m.setAttribute('visibility', 'hidden');
      } else {
        m.removeAttribute('visibility');
        m.classList.remove('is-pending');
        m.setAttribute('transform', 'translate(' + toSvg(x).toFixed(1) + ' ' + toSvg(y).toFixed(1) + ')');
      }
      updateArrows();
    }
    function pointFromEvent(e) {
      var pt = svg.createSVGPoint();
      pt.x = e.clientX;
      pt.y = e.clientY;
      var p = pt.matrixTransform(svg.getScreenCTM().inverse());
      return {
        x: Math.round(Math.max(-100, Math.min(100, (p.x / SIZE) * 200 - 100))),
        y: Math.round(Math.max(-100, Math.min(100, (p.y / SIZE) * 200 - 100))),
      };
    }
    function setFrame(frame, p, fire) {
      var c = coords[frame];
      if (!c) return;
      c.x.value = String(p.x);
      c.y.value = String(p.y);
      moveMarker(frame);
      if (fire) c.y.dispatchEvent(new Event('change', { bubbles: true }));
    }
    function nextUnplaced(after) {
      var frames = Object.keys(coords);
      var start = frames.indexOf(after);
      for (var i = 1; i <= frames.length; i++) {
        var f = frames[(start + i) % frames.length];
        if (valueOf(coords[f].x) === null || valueOf(coords[f].y) === null) return f;
      }
      return null;
    }
    var dragging = null;
    svg.addEventListener('pointerdown', function (e) {
      var target = e.target.closest ? e.target.closest('.marker-own') : null;
      var frame = target ? target.dataset.frame : active();
      if (!frame || !coords[frame]) return;
      e.preventDefault();
      if (target) {
        pickers.forEach(function (r) {
          r.checked = r.value === frame;
        });
        highlight();
      }
      dragging = { frame: frame, moved: false };
      if (svg.setPointerCapture) svg.setPointerCapture(e.pointerId);
      setFrame(frame, pointFromEvent(e), false);
      var m = markerOf(frame);
      if (m) m.classList.add('is-dragging');
    });
    svg.addEventListener('pointermove', function (e) {
      if (!dragging) return;
      dragging.moved = true;
      setFrame(dragging.frame, pointFromEvent(e), false);
    });
    function endDrag(e) {
      if (!dragging) return;
      var frame = dragging.frame;
      dragging = null;
      var m = markerOf(frame);
      if (m) m.classList.remove('is-dragging');
      if (e && e.type === 'pointerup') setFrame(frame, pointFromEvent(e), true);
      // After placing a new point, move on to the next frame without a point.
      var next = nextUnplaced(frame);
      if (next) {
        pickers.forEach(function (r) {
          r.checked = r.value === next;
        });
        highlight();
      }
    }
    svg.addEventListener('pointerup', endDrag);
    svg.addEventListener('pointercancel', endDrag);
    Object.keys(coords).forEach(function (f) {
      ['input', 'change'].forEach(function (type) {
        coords[f].x.addEventListener(type, function () {
          moveMarker(f);
        });
        coords[f].y.addEventListener(type, function () {
          moveMarker(f);
        });
      });
      coords[f].fs.addEventListener('focusin', function () {
        pickers.forEach(function (r) {
          r.checked = r.value === f;
        });
        highlight();
      });
    });
    pickers.forEach(function (r) {
      r.addEventListener('change', highlight);
    });
    var first = nextUnplaced(Object.keys(coords)[Object.keys(coords).length - 1]);
    if (first) {
      pickers.forEach(function (r) {
        r.checked = r.value === first;
      });
    }
    highlight();
    updateArrows();
  }

  // ---- charts ---------------------------------------------------------------------------------------
  function setupChart(canvas) {
    if (!window.Chart) return;
    var src = document.getElementById(canvas.dataset.chart);
    if (!src) return;
    try {
      var config = JSON.parse(src.textContent);
      // Data blocks cannot carry functions: format ticks and tooltips here.
      var opts = config.options || (config.options = {});
      var decimals = function (v) {
        return typeof v === 'number' ? v.toLocaleString(document.documentElement.lang === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: 1 }) : v;
      };
      opts.plugins = opts.plugins || {};
      opts.plugins.tooltip = opts.plugins.tooltip || {};
      opts.plugins.tooltip.callbacks = {
        label: function (ctx) {
          var unit = (ctx.dataset && ctx.dataset.unit) || '';
          var raw = ctx.raw;
          var v = raw && typeof raw === 'object' ? (opts.indexAxis === 'y' ? raw.x : raw.y) : raw;
          return (ctx.dataset.label ? ctx.dataset.label + ': ' : '') + decimals(v) + unit;
        },
      };
      // Narrow charts (phones): numbered labels instead of names; the table beside it is numbered too.
      if (config._shortLabels && canvas.parentNode && canvas.parentNode.clientWidth < 400) {
        config.data.labels = config._shortLabels;
        (config._shortDatasetLabels || []).forEach(function (label, i) {
          if (config.data.datasets[i]) config.data.datasets[i].label = label;
        });
      }
      delete config._shortLabels;
      delete config._shortDatasetLabels;
      new window.Chart(canvas, config);
      canvas.dataset.rendered = 'true';
    } catch {
      canvas.dataset.rendered = 'error';
    }
  }

  function init() {
    document.querySelectorAll('form[data-autosave="true"]').forEach(setupAutosave);
    document.querySelectorAll('[data-copy-target]').forEach(setupCopy);
    document.querySelectorAll('[data-refresh-url]').forEach(setupRefresh);
    document.querySelectorAll('form[data-confirm]').forEach(setupConfirm);
    document.querySelectorAll('[data-placement]').forEach(setupPlacement);
    document.querySelectorAll('canvas[data-chart]').forEach(setupChart);
    var err = document.getElementById('form-error');
    if (err) err.focus();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
