/* gcsched timeline: renders the embedded report data; no network, no libraries. */
(function () {
  "use strict";
  var DAY = 86400000, HOUR = 3600000;
  var data = JSON.parse(document.getElementById("gcsched-data").textContent);
  var viewerZone = (Intl.DateTimeFormat().resolvedOptions().timeZone) || "UTC";
  var rangeStart = Date.parse(data.range.start + "T00:00:00Z");
  var rangeEnd = Date.parse(data.range.end + "T00:00:00Z") + DAY;
  var ROW_H = 30, BAR_H = 16, AXIS_H = 46;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var WD = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

  var $ = function (id) { return document.getElementById(id); };
  var axisSvg = $("axis"), bodySvg = $("rows"), tip = $("tip"), wrap = $("timeline");

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* ---- time zones: wall-clock ms (a naive time read as UTC) <-> instants ---- */
  var fmts = {};
  function partsFmt(zone) {
    if (!fmts[zone]) {
      fmts[zone] = new Intl.DateTimeFormat("en-US", {
        timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", second: "2-digit"
      });
    }
    return fmts[zone];
  }
  function offset(zone, t) {
    if (zone === "UTC") return 0;
    var p = {};
    partsFmt(zone).formatToParts(new Date(t)).forEach(function (x) { p[x.type] = x.value; });
    var asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, (+p.hour) % 24, +p.minute, +p.second);
    return asUtc - Math.floor(t / 1000) * 1000;
  }
  function wallToUtc(zone, wall) {
    var t = wall - offset(zone, wall);
    return wall - offset(zone, t);
  }
  function offsetLabel(zone, t) {
    var m = Math.round(offset(zone, t) / 60000), s = m < 0 ? "\u2212" : "+";
    m = Math.abs(m);
    return "UTC" + s + String(Math.floor(m / 60)).padStart(2, "0") + ":" + String(m % 60).padStart(2, "0");
  }
  var showFmts = {};
  function fmtIn(zone, t, withDay) {
    var key = zone + (withDay ? "|d" : "|t");
    if (!showFmts[key]) {
      var o = { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
      if (withDay) { o.weekday = "short"; o.day = "numeric"; o.month = "short"; }
      showFmts[key] = new Intl.DateTimeFormat("en-GB", o);
    }
    return showFmts[key].format(new Date(t));
  }

  /* ---- state ---- */
  var state = { view: data.default_view, mode: "local", anchor: rangeStart, filter: "", active: -1 };
  function startOfWeek(w) { var d = new Date(w); var wd = (d.getUTCDay() + 6) % 7; return w - wd * DAY - (w % DAY); }
  function startOfMonth(w) { var d = new Date(w); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1); }
  function addMonths(w, n) { var d = new Date(w); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1); }
  function bounds() {
    if (state.view === "week") { var s = startOfWeek(state.anchor); return [s, s + 7 * DAY]; }
    if (state.view === "month") { var m = startOfMonth(state.anchor); return [m, addMonths(m, 1)]; }
    return [rangeStart, rangeEnd];
  }
  function displayZone() { return state.mode === "local" ? null : (state.mode === "viewer" ? viewerZone : state.mode); }
  function axis() {
    var b = bounds(), z = displayZone();
    if (z === null) return { zone: null, w0: b[0], w1: b[1], t0: b[0], t1: b[1], conv: function (w) { return w; } };
    return { zone: z, w0: b[0], w1: b[1], t0: wallToUtc(z, b[0]), t1: wallToUtc(z, b[1]), conv: function (w) { return wallToUtc(z, w); } };
  }

  /* ---- rows ---- */
  var rows = data.rows.map(function (r, i) {
    var maxDur = 0;
    r.occ.forEach(function (o) { maxDur = Math.max(maxDur, o[1] - o[0], o[3] - o[2]); });
    r.index = i; r.maxDur = maxDur;
    r.hay = (r.label + " " + (r.name || "") + " " + (r.audience || "") + " " + r.zone).toLowerCase();
    return r;
  });
  function visibleRows() {
    var f = state.filter.trim().toLowerCase();
    return f ? rows.filter(function (r) { return r.hay.indexOf(f) >= 0; }) : rows;
  }
  function firstFrom(occ, col, t) {
    var lo = 0, hi = occ.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (occ[mid][col] < t) lo = mid + 1; else hi = mid; }
    return lo;
  }

  /* ---- drawing ---- */
  var geom = null, rendered = false, writeHash = function () {};
  function render() {
    var t0 = performance.now();
    var W = Math.max(320, wrap.clientWidth);
    var labelW = Math.round(Math.min(250, Math.max(110, W * 0.22)));
    var plotW = W - labelW - 10;
    var ax = axis(), span = ax.t1 - ax.t0, sx = plotW / span;
    var X = function (t) { return labelW + (t - ax.t0) * sx; };
    geom = { X: X, labelW: labelW, ax: ax };
    var useWall = ax.zone === null;
    var list = visibleRows();
    var H = Math.max(list.length, 1) * ROW_H + 8;
    var pxDay = plotW * DAY / span;

    /* background columns: weekends, holidays, day grid */
    var bg = [], head = [];
    for (var w = ax.w0; w < ax.w1; w += DAY) {
      var x0 = X(ax.conv(w)), x1 = X(ax.conv(w + DAY));
      var dow = new Date(w).getUTCDay(), dom = new Date(w).getUTCDate();
      if (dow === 0 || dow === 6) bg.push('<rect class="weekend" x="' + x0.toFixed(1) + '" y="0" width="' + (x1 - x0).toFixed(1) + '" height="' + H + '"/>');
      if (pxDay >= 4 || dom === 1 || dow === 1) bg.push('<line class="gridline' + (dom === 1 || (state.view !== "range") ? " major" : "") + '" x1="' + x0.toFixed(1) + '" x2="' + x0.toFixed(1) + '" y1="0" y2="' + H + '"/>');
      if (state.view === "week") {
        head.push('<line class="gridline major" x1="' + x0.toFixed(1) + '" x2="' + x0.toFixed(1) + '" y1="0" y2="' + AXIS_H + '"/>');
        head.push('<text x="' + (x0 + 4).toFixed(1) + '" y="16">' + WD[dow] + " " + dom + " " + MONTHS[new Date(w).getUTCMonth()] + "</text>");
        var step = pxDay > 260 ? 3 : 6;
        for (var h = step; h < 24; h += step) {
          var xh = X(ax.conv(w + h * HOUR));
          head.push('<line class="gridline" x1="' + xh.toFixed(1) + '" x2="' + xh.toFixed(1) + '" y1="' + (AXIS_H - 8) + '" y2="' + AXIS_H + '"/>');
          head.push('<text class="muted" text-anchor="middle" x="' + xh.toFixed(1) + '" y="' + (AXIS_H - 12) + '">' + String(h).padStart(2, "0") + "</text>");
          bg.push('<line class="gridline" x1="' + xh.toFixed(1) + '" x2="' + xh.toFixed(1) + '" y1="0" y2="' + H + '"/>');
        }
      } else if (state.view === "month") {
        head.push('<line class="gridline" x1="' + x0.toFixed(1) + '" x2="' + x0.toFixed(1) + '" y1="22" y2="' + AXIS_H + '"/>');
        head.push('<text text-anchor="middle" x="' + ((x0 + x1) / 2).toFixed(1) + '" y="' + (AXIS_H - 8) + '"' + (dow === 0 || dow === 6 ? ' class="muted"' : "") + ">" + dom + "</text>");
        if (pxDay >= 24) head.push('<text class="muted" text-anchor="middle" x="' + ((x0 + x1) / 2).toFixed(1) + '" y="28">' + WD[dow].charAt(0) + "</text>");
      } else {
        if (dom === 1 || w === ax.w0) {
          head.push('<line class="gridline major" x1="' + x0.toFixed(1) + '" x2="' + x0.toFixed(1) + '" y1="0" y2="' + AXIS_H + '"/>');
          head.push('<text x="' + (x0 + 4).toFixed(1) + '" y="16">' + MONTHS[new Date(w).getUTCMonth()] + " " + new Date(w).getUTCFullYear() + "</text>");
        }
        if (dow === 1 && pxDay * 7 >= 34) {
          head.push('<line class="gridline" x1="' + x0.toFixed(1) + '" x2="' + x0.toFixed(1) + '" y1="24" y2="' + AXIS_H + '"/>');
          head.push('<text class="muted" x="' + (x0 + 3).toFixed(1) + '" y="' + (AXIS_H - 8) + '">' + dom + "</text>");
        }
      }
    }
    if (state.view !== "range") {
      head.push('<text x="' + (labelW + 4) + '" y="' + (state.view === "week" ? 30 : 16) + '" class="label">' +
        (state.view === "month" ? MONTHS[new Date(ax.w0).getUTCMonth()] + " " + new Date(ax.w0).getUTCFullYear() : "") + "</text>");
    }
    [[ax.w0, Math.min(rangeStart, ax.w1)], [Math.max(rangeEnd, ax.w0), ax.w1]].forEach(function (p) {
      if (p[1] <= p[0]) return;
      var a = X(ax.conv(p[0])), b = X(ax.conv(p[1]));
      bg.push('<rect class="outside" x="' + a.toFixed(1) + '" y="0" width="' + (b - a).toFixed(1) + '" height="' + H + '"><title>outside the report range</title></rect>');
    });
    /* holidays: a mark on the axis for each; shading only on the rows that exclude it */
    data.holidays.forEach(function (hd, i) {
      var hs = Date.parse(hd.start + "T00:00:00Z"), he = Date.parse(hd.end + "T00:00:00Z") + DAY;
      if (he <= ax.w0 || hs >= ax.w1) return;
      var a = X(ax.conv(Math.max(hs, ax.w0))), b = X(ax.conv(Math.min(he, ax.w1)));
      head.push('<rect class="holiday-edge" x="' + a.toFixed(1) + '" y="' + (AXIS_H - 4) + '" width="' + Math.max(2, b - a).toFixed(1) + '" height="4"><title>' + esc(holidayText(hd)) + "</title></rect>");
    });

    /* rows */
    var out = [], col0 = useWall ? 2 : 0, col1 = col0 + 1;
    var maxChars = Math.max(6, Math.floor((labelW - 34) / 6.6));
    var rowPos = {};
    list.forEach(function (r, k) {
      var y = k * ROW_H;
      rowPos[r.index] = y;
      var name = r.label.length > maxChars ? r.label.slice(0, maxChars - 1) + "\u2026" : r.label;
      out.push('<g class="row' + (r.trimmed ? " trimmed" : "") + '" data-row="' + r.index + '" transform="translate(0,' + y + ')" fill="' + r.color + '">');
      out.push('<rect class="row-bg" x="0" y="0" width="' + W + '" height="' + ROW_H + '"/>');
      out.push('<line class="row-line" x1="0" x2="' + W + '" y1="' + ROW_H + '" y2="' + ROW_H + '"/>');
      out.push('<rect x="8" y="' + (ROW_H / 2 - 5) + '" width="10" height="10" rx="2"/>');
      out.push('<text class="label" x="24" y="' + (ROW_H / 2 + 1) + '">' + esc(name) + "<title>" + esc(r.label + " \u00b7 " + r.kind + " \u00b7 " + r.zone + " \u00b7 priority " + r.priority + (r.audience ? " \u00b7 audience " + r.audience : "")) + "</title></text>");
      out.push('<text class="muted" x="24" y="' + (ROW_H / 2 + 12) + '" font-size="9.5">' + esc(r.zone + " \u00b7 p" + r.priority + (r.trimmed ? " \u00b7 trimmed" : "")) + "</text>");
      r.hol.forEach(function (e) {
        var a = useWall ? e[2] : e[0], b = useWall ? e[3] : e[1];
        if (b <= ax.t0 || a >= ax.t1) return;
        var xa = Math.max(X(a), labelW), xb = Math.min(X(b), W);
        out.push('<rect class="holiday" data-hol="' + e[4] + '" aria-label="' + esc(holidayText(data.holidays[e[4]])) + '" x="' + xa.toFixed(1) + '" y="1" width="' + Math.max(2, xb - xa).toFixed(1) + '" height="' + (ROW_H - 2) + '"/>');
      });
      (r.nc || []).forEach(function (e) {
        var a = useWall ? e[2] : e[0], b = useWall ? e[3] : e[1];
        if (b <= ax.t0 || a >= ax.t1) return;
        var xa = Math.max(X(a), labelW), xb = Math.min(X(b), W);
        out.push('<rect class="nocall" x="' + xa.toFixed(1) + '" y="1" width="' + Math.max(1, xb - xa).toFixed(1) + '" height="' + (ROW_H - 2) + '"/>');
      });
      r.ex.forEach(function (e) {
        var a = useWall ? e[2] : e[0], b = useWall ? e[3] : e[1];
        if (b <= ax.t0 || a >= ax.t1) return;
        var xa = Math.max(X(a), labelW), xb = Math.min(X(b), W);
        out.push('<rect class="excluded" x="' + xa.toFixed(1) + '" y="3" width="' + Math.max(1, xb - xa).toFixed(1) + '" height="' + (ROW_H - 6) + '"/>');
      });
      var occ = r.occ, i = firstFrom(occ, col0, ax.t0 - r.maxDur);
      out.push('<g fill-opacity="' + r.opacity + '">');
      for (; i < occ.length && occ[i][col0] < ax.t1; i++) {
        var o = occ[i];
        if (o[col1] <= ax.t0) continue;
        var xa = Math.max(X(o[col0]), labelW), xb = Math.min(X(o[col1]), W);
        out.push('<rect class="occ" data-o="' + i + '" x="' + xa.toFixed(1) + '" y="' + ((ROW_H - BAR_H) / 2) + '" width="' + Math.max(1, xb - xa).toFixed(1) + '" height="' + BAR_H + '" rx="2"/>');
      }
      out.push("</g>");
      (data.dst[r.zone] || []).forEach(function (c, ci) {
        var t = useWall ? c[1] : c[0];
        if (t < ax.t0 || t >= ax.t1) return;
        var x = X(t);
        out.push('<g class="dst' + (c[3] ? " fwd" : " back") + '" data-dst="' + ci + '" role="img" aria-label="' + esc("Clocks change: " + c[2]) + '">' +
          '<rect class="dst-hit" x="' + (x - 5).toFixed(1) + '" y="0" width="10" height="' + ROW_H + '"/>' +
          '<line x1="' + x.toFixed(1) + '" x2="' + x.toFixed(1) + '" y1="2" y2="' + (ROW_H - 2) + '"/>' +
          '<path d="M' + (x - 4.5).toFixed(1) + ",1h9l-4.5," + "6z\"/></g>");
      });
      out.push("</g>");
    });
    /* conflicts on top */
    var marks = 0;
    data.conflicts.forEach(function (c, ci) {
      c.rows.forEach(function (ri, side) {
        if (ri < 0 || rowPos[ri] === undefined) return;
        var a = useWall ? c.wall[side][0] : c.utc[0], b = useWall ? c.wall[side][1] : c.utc[1];
        if (b <= ax.t0 || a >= ax.t1) return;
        var xa = Math.max(X(a), labelW), xb = Math.min(X(b), W), wdt = Math.max(4, xb - xa);
        out.push('<rect class="conflict-mark' + (ci === state.active ? " active" : "") + '" data-conflict="' + ci + '" tabindex="0" role="button" aria-label="' + esc(c.aria) + '" x="' + (xa - (wdt - (xb - xa)) / 2).toFixed(1) + '" y="' + (rowPos[ri] + (ROW_H - BAR_H) / 2 - 3) + '" width="' + wdt.toFixed(1) + '" height="' + (BAR_H + 6) + '" rx="2"/>');
        marks++;
      });
    });
    if (data.today) {
      var tw = Date.parse(data.today + "T00:00:00Z");
      if (tw >= ax.w0 && tw < ax.w1) {
        var xt = X(ax.conv(tw)).toFixed(1);
        out.push('<line class="today" x1="' + xt + '" x2="' + xt + '" y1="0" y2="' + H + '"><title>today (' + data.today + ")</title></line>");
      }
    }
    if (!list.length) out.push('<text class="muted" x="12" y="20">No schedule matches the filter.</text>');

    var defs = '<defs><pattern id="hatch-excluded" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="transparent"/><line x1="0" y1="0" x2="0" y2="6" stroke="var(--excluded)" stroke-width="2"/></pattern>' +
      '<pattern id="hatch-conflict" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="5" height="5" fill="rgba(214,38,59,0.18)"/><line x1="0" y1="0" x2="0" y2="5" stroke="#d6263b" stroke-width="1.6"/></pattern>' +
      '<pattern id="hatch-outside" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="rgba(127,135,150,0.10)"/><line x1="0" y1="0" x2="0" y2="8" stroke="rgba(127,135,150,0.25)" stroke-width="1"/></pattern></defs>';
    axisSvg.setAttribute("width", W); axisSvg.setAttribute("height", AXIS_H);
    axisSvg.setAttribute("viewBox", "0 0 " + W + " " + AXIS_H);
    var zoneText = ax.zone === null ? "each schedule\u2019s zone" : ax.zone === "UTC" ? "UTC" : ax.zone + " " + offsetLabel(ax.zone, ax.t0);
    axisSvg.innerHTML = '<text class="axis-zone" x="8" y="16">' + esc(zoneText) + "</text>" +
      '<text class="muted" x="8" y="' + (AXIS_H - 8) + '">' + esc(list.length + " of " + rows.length + " schedules") + "</text>" + head.join("");
    bodySvg.setAttribute("width", W); bodySvg.setAttribute("height", H);
    bodySvg.setAttribute("viewBox", "0 0 " + W + " " + H);
    bodySvg.innerHTML = defs + bg.join("") + out.join("");
    updateChrome(ax, marks);
    if (rendered) writeHash();
    rendered = true;
    var ms = performance.now() - t0;
    window.__gcsched = { renderMs: ms, marks: marks, rows: list.length };
    document.body.setAttribute("data-ready", "1");
  }

  function updateChrome(ax, marks) {
    var z = ax.zone;
    var caption = z === null ? "Times: each schedule\u2019s own wall-clock time (rows in different zones are aligned by local time)"
      : "Times: " + (z === "UTC" ? "UTC" : z + " (" + offsetLabel(z, ax.t0) + ")") + (state.mode === "viewer" ? ", your zone" : "");
    $("axis-caption").textContent = caption;
    var b = bounds(), endDay = new Date(b[1] - DAY);
    var s = new Date(b[0]);
    var label = state.view === "month" ? MONTHS[s.getUTCMonth()] + " " + s.getUTCFullYear()
      : s.getUTCDate() + " " + MONTHS[s.getUTCMonth()] + " \u2013 " + endDay.getUTCDate() + " " + MONTHS[endDay.getUTCMonth()] + " " + endDay.getUTCFullYear();
    $("period").textContent = label;
    ["week", "month", "range"].forEach(function (v) { $("view-" + v).setAttribute("aria-pressed", String(state.view === v)); });
    $("prev").disabled = state.view === "range" || b[0] <= rangeStart;
    $("next").disabled = state.view === "range" || b[1] >= rangeEnd;
    $("marks-count").textContent = marks ? marks + " conflict marks in view" : "";
  }

  /* ---- tooltip ---- */
  function showTip(html, x, y) {
    tip.innerHTML = html; tip.classList.add("show");
    var r = tip.getBoundingClientRect();
    var left = Math.min(x + 14, window.innerWidth - r.width - 8), top = y + 16;
    if (top + r.height > window.innerHeight - 8) top = y - r.height - 12;
    tip.style.left = Math.max(8, left) + "px"; tip.style.top = Math.max(8, top) + "px";
  }
  function hideTip() { tip.classList.remove("show"); }
  function occTip(r, o) {
    var z = r.occZones && r.occZones[o[4]] ? r.occZones[o[4]] : r.zone;
    var lines = ["<b>" + esc(r.label) + "</b>" + (r.name ? " <span class='k'>" + esc(r.name) + "</span>" : ""),
      esc(fmtIn(z, o[0], true) + "\u2013" + fmtIn(z, o[1], false)) + " <span class='k'>" + esc(z) + "</span>",
      "<span class='k'>UTC</span> " + esc(fmtIn("UTC", o[0], true) + "\u2013" + fmtIn("UTC", o[1], false))];
    if (state.mode === "viewer" && viewerZone !== "UTC") lines.push("<span class='k'>you</span> " + esc(fmtIn(viewerZone, o[0], true) + "\u2013" + fmtIn(viewerZone, o[1], false)));
    lines.push("<span class='k'>priority</span> " + r.priority + (r.audience ? " \u00b7 <span class='k'>audience</span> " + esc(r.audience) : "") + (r.trimmed ? " \u00b7 trimmed" : ""));
    return lines.join("<br>");
  }
  function conflictTip(c) {
    return "<b>Conflict (" + esc(c.type) + ")</b><br>" + esc(c.campaigns[0]) + " \u00d7 " + esc(c.campaigns[1]) +
      "<br><span class='k'>audience</span> " + esc(c.contact_list || "\u2014") +
      "<br><span class='k'>when (UTC)</span> " + esc(fmtIn("UTC", c.utc[0], true) + "\u2013" + fmtIn("UTC", c.utc[1], c.utc[1] - c.utc[0] >= DAY)) +
      "<br><span class='k'>resolution</span> " + esc(c.resolution) + (c.winner ? " \u00b7 <span class='k'>winner</span> " + esc(c.winner) : "") +
      (c.reason ? "<br>" + esc(c.reason) : "");
  }
  function holidayText(hd) {
    var who = hd.schedules.length ? "excluded by " + hd.schedules.join(", ") : "no schedule excludes it";
    return (hd.name || "Holiday") + (hd.calendar ? " (" + hd.calendar + ")" : "") + ": " + hd.start +
      (hd.end !== hd.start ? " to " + hd.end : "") + " \u00b7 " + who;
  }
  function targetInfo(el) {
    if (!el || !el.getAttribute) return null;
    var dst = el.closest ? el.closest("[data-dst]") : null;
    if (dst) {
      var zr = rows[+dst.closest("g.row").getAttribute("data-row")];
      return "<b>Clocks change (DST)</b><br>" + esc(data.dst[zr.zone][+dst.getAttribute("data-dst")][2]);
    }
    if (el.hasAttribute("data-hol")) {
      var hd = data.holidays[+el.getAttribute("data-hol")];
      return "<b>" + esc(hd.name || "Holiday") + "</b>" + (hd.calendar ? " <span class='k'>" + esc(hd.calendar) + "</span>" : "") +
        "<br>" + esc(hd.start + (hd.end !== hd.start ? " to " + hd.end : "")) +
        "<br><span class='k'>excluded by</span> " + esc(hd.schedules.join(", "));
    }
    if (el.hasAttribute("data-conflict")) return conflictTip(data.conflicts[+el.getAttribute("data-conflict")]);
    if (el.hasAttribute("data-o")) {
      var g = el.closest("g.row");
      var r = rows[+g.getAttribute("data-row")];
      return occTip(r, r.occ[+el.getAttribute("data-o")]);
    }
    return null;
  }
  bodySvg.addEventListener("mousemove", function (ev) {
    var html = targetInfo(ev.target);
    if (html) showTip(html, ev.clientX, ev.clientY); else hideTip();
  });
  bodySvg.addEventListener("mouseleave", hideTip);
  bodySvg.addEventListener("focusin", function (ev) {
    var html = targetInfo(ev.target);
    if (!html) return;
    var b = ev.target.getBoundingClientRect();
    showTip(html, b.left + b.width / 2, b.bottom);
  });
  bodySvg.addEventListener("focusout", hideTip);

  /* ---- controls ---- */
  function setView(v) { state.view = v; render(); }
  ["week", "month", "range"].forEach(function (v) { $("view-" + v).addEventListener("click", function () { setView(v); }); });
  function step(n) {
    if (state.view === "week") state.anchor = startOfWeek(state.anchor) + n * 7 * DAY;
    else if (state.view === "month") state.anchor = addMonths(startOfMonth(state.anchor), n);
    render();
  }
  $("prev").addEventListener("click", function () { step(-1); });
  $("next").addEventListener("click", function () { step(1); });
  var zoneSel = $("zone");
  var vz = zoneSel.querySelector('option[value="viewer"]');
  vz.textContent = "Your zone (" + viewerZone + ")";
  zoneSel.addEventListener("change", function () { state.mode = zoneSel.value; render(); });
  $("filter").addEventListener("input", function (ev) { state.filter = ev.target.value; render(); });
  document.querySelectorAll("button[data-goto]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var ci = +btn.getAttribute("data-goto"), c = data.conflicts[ci];
      state.active = ci;
      state.anchor = c.wall[0][0];
      if (state.view === "range") state.view = "week";
      state.filter = ""; $("filter").value = "";
      render();
      var mark = bodySvg.querySelector('[data-conflict="' + ci + '"]');
      if (mark) { mark.scrollIntoView({ block: "center" }); mark.focus({ preventScroll: true }); }
    });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.target && (ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT")) return;
    if (ev.key === "Escape") hideTip();
    if ((ev.key === "Enter" || ev.key === " ") && ev.target.hasAttribute && ev.target.hasAttribute("data-conflict")) {
      ev.preventDefault();
      var row = document.getElementById("conflict-" + ev.target.getAttribute("data-conflict"));
      if (row) row.scrollIntoView({ block: "center" });
    }
  });
  var pending = 0, lastW = wrap.clientWidth;
  window.addEventListener("resize", function () {
    if (pending || wrap.clientWidth === lastW) return;
    pending = requestAnimationFrame(function () { pending = 0; lastW = wrap.clientWidth; render(); });
  });

  /* ---- the URL fragment: #view=week&week=2026-12-21&zone=UTC reopens the same view ---- */
  function isoDay(w) { return new Date(w).toISOString().slice(0, 10); }
  function clampAnchor(w) { return Math.min(Math.max(w, rangeStart), rangeEnd - DAY); }
  function fragment() {
    var parts = ["view=" + state.view];
    if (state.view === "week") parts.push("week=" + isoDay(startOfWeek(state.anchor)));
    if (state.view === "month") parts.push("month=" + isoDay(startOfMonth(state.anchor)).slice(0, 7));
    parts.push("zone=" + encodeURIComponent(state.mode));
    return parts.join("&");
  }
  function readFragment() {
    var found = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) { try { found[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); } catch (e) { /* ignore a bad escape */ } }
    });
    if (found.view === "week" || found.view === "month" || found.view === "range") state.view = found.view;
    var day = found.week || (found.month ? found.month + "-01" : "");
    var w = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(day + "T00:00:00Z") : NaN;
    if (!isNaN(w)) state.anchor = clampAnchor(w);
    if (found.zone && [].some.call(zoneSel.options, function (o) { return o.value === found.zone; })) {
      state.mode = found.zone; zoneSel.value = found.zone;
    }
  }
  var shown = "";
  writeHash = function () {
    var next = fragment();
    if (next === shown) return;
    shown = next;
    try { history.replaceState(null, "", "#" + next); } catch (e) { location.replace("#" + next); }
  };
  window.addEventListener("hashchange", function () {
    if (location.hash.replace(/^#/, "") === shown) return;
    readFragment(); render();
  });

  state.anchor = clampAnchor(Date.parse(data.open_on + "T00:00:00Z"));
  if (location.hash.length > 1) { readFragment(); shown = fragment(); }
  render();
})();
