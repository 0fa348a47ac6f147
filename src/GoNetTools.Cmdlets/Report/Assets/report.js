// Draws the GoNetTools report's charts from the JSON in #gonet-data with Observable Plot (window.GoNetPlot).
// Data layout (made by Report/ReportPage.cs):
//   timewait[]: {name, side, measured, points: [[ms, sockets]], key?}  one point per Watch-TcpState sample when measured;
//                derived curves carry key "<source id>-<side>"
//   timewaitCounts[]: [key, name, "peak"|"end", sockets, runStartMs, runEndMs]   a run's own measured counts
//   sources[]:  {id, kind, name, mode: "bars"|"buckets"|"none", span: [startMs, endMs],
//                bars: [[id, startMs, endMs, lane, closer, title]], lanes,
//                marks: [[connectionId, ms, lane, kind, exact, title]],
//                buckets: [[startMs, endMs, closer, count]], markBuckets: [[startMs, endMs, kind, count, exact]],
//                latency: [[series, loMs, hiMs, count]], percentiles: [[name, ms]]}
//   closers / markKinds: names for the indexes above.
// Every mark carries an aria-description (connection, bucket, goaway-mark, rst-mark, timewait-series, timewait-sample,
// latency-bin…) so a test can count what was drawn.
"use strict";
(function () {
  const started = performance.now();
  const root = document.documentElement;
  const P = window.GoNetPlot;
  const closerColours = { Client: "#4269d0", Server: "#efb118", Aborted: "#ff725c", Open: "#9498a0" };
  const seriesColours = ["#3ca951", "#4269d0", "#efb118", "#a463f2", "#ff725c", "#6cc5b0", "#ff8ab7", "#97bbf5"];
  const when = ms => new Date(ms);
  const widthOf = el => Math.max(480, Math.min(1280, (el.clientWidth || 960)));
  const timeAxis = el => ({ type: "time", label: null, ticks: Math.max(3, Math.floor(widthOf(el) / 140)) });

  function put(id, chart) {
    const el = document.getElementById(id);
    if (el) el.replaceChildren(chart);
  }

  function legend(items) {
    const p = document.createElement("p");
    p.className = "legend";
    for (const [label, colour, symbol] of items) {
      const s = document.createElement("span");
      s.innerHTML = `<i style="background:${colour}" class="${symbol || ""}"></i>`;
      s.append(label);
      p.append(s);
    }
    return p;
  }

  function timeWait(data) {
    const el = document.getElementById("timewait-chart");
    if (!el) return;
    const counts = (data.timewaitCounts || []).map(c => ({ key: c[0], name: c[1], point: c[2], value: c[3], from: when(c[4]), to: when(c[5]) }));
    if (data.timewait.length === 0 && counts.length === 0) {
      el.textContent = "No TIME_WAIT series: pipe Watch-TcpState samples or connection records (-PassThru, Get-TcpFlow).";
      return;
    }
    const colour = i => seriesColours[i % seriesColours.length];
    const slot = new Map(data.timewait.map((s, i) => [s.key || "#" + i, i]));
    for (const c of counts) if (!slot.has(c.key)) slot.set(c.key, slot.size);
    const marks = [P.ruleY([0])];
    data.timewait.forEach((s, i) => {
      marks.push(P.lineY(s.points, {
        x: p => when(p[0]), y: p => p[1], stroke: colour(i), strokeWidth: s.measured ? 2 : 1.5,
        strokeDasharray: s.measured ? null : "5,3", curve: s.measured ? "linear" : "step-after",
        ariaDescription: "timewait-series", title: () => s.name,
      }));
      if (s.measured && s.points.length <= 4000) {
        marks.push(P.dot(s.points, { x: p => when(p[0]), y: p => p[1], r: 1.6, fill: colour(i), ariaDescription: "timewait-sample",
          title: p => `${s.name}\n${when(p[0]).toLocaleTimeString()}: ${p[1]} TIME_WAIT` }));
      }
    });
    const peaks = counts.filter(c => c.point === "peak"), ends = counts.filter(c => c.point === "end");
    marks.push(P.ruleY(peaks, { y: "value", x1: "from", x2: "to", stroke: c => colour(slot.get(c.key)), strokeWidth: 1, strokeOpacity: 0.8,
      ariaDescription: "timewait-peak", title: c => `${c.name}: ${c.value} TIME_WAIT (the run's largest socket-table read; its time is not recorded)` }));
    marks.push(P.dot(ends, { x: "to", y: "value", r: 4.5, fill: "white", stroke: c => colour(slot.get(c.key)), strokeWidth: 2,
      ariaDescription: "timewait-end", title: c => `${c.name}: ${c.value} TIME_WAIT at the run's end` }));
    const chart = P.plot({ width: widthOf(el), height: 280, marginLeft: 56, x: timeAxis(el),
      y: { label: "TIME_WAIT sockets", grid: true, zero: true }, marks });
    const box = document.createElement("div");
    const measuredKeys = [...new Set(counts.map(c => c.key))].filter(k => !data.timewait.some(s => s.key === k));
    box.append(chart, legend(data.timewait.map((s, i) => [s.name + (s.measured ? "" : " (dashed; measured peak: thin line, end: ring)"), colour(i)])
      .concat(measuredKeys.map(k => [counts.find(c => c.key === k).name.replace(/ (peak|end)$/, " peak / end"), colour(slot.get(k))]))));
    el.replaceChildren(box);
  }

  function timeline(data, src) {
    const el = document.getElementById(src.id + "-timeline");
    if (!el || src.mode === "none") return;
    const closers = data.closers, kinds = data.markKinds;
    const domain = closers, range = closers.map(c => closerColours[c]);
    let chart;
    if (src.mode === "bars") {
      const bars = src.bars.map(b => ({ id: b[0], x1: when(b[1]), x2: when(b[2]), lane: b[3], closer: closers[b[4]], title: b[5] }));
      const marks = src.marks.map(m => ({ at: when(m[1]), lane: m[2], kind: kinds[m[3]],
        title: m[5] + (m[4] ? "" : "\n(the input has no time for it: shown at the connection's end)") }));
      const lanes = Math.max(1, src.lanes);
      chart = P.plot({ width: widthOf(el), height: Math.min(720, Math.max(150, lanes * 16 + 60)), marginLeft: 56,
        x: timeAxis(el), y: { domain: [0, lanes], reverse: true, axis: null },
        color: { domain, range },
        marks: [
          P.rect(bars, { x1: "x1", x2: "x2", y1: d => d.lane + 0.12, y2: d => d.lane + 0.88, fill: "closer", title: "title", ariaDescription: "connection" }),
          P.dot(marks.filter(m => m.kind === "GOAWAY"), { x: "at", y: d => d.lane + 0.5, symbol: "diamond", r: 5, fill: "#1b1e23", stroke: "white", title: "title", ariaDescription: "goaway-mark" }),
          P.dot(marks.filter(m => m.kind === "RST_STREAM"), { x: "at", y: d => d.lane + 0.5, symbol: "times", r: 5, stroke: "#c40000", strokeWidth: 2, title: "title", ariaDescription: "rst-mark" }),
        ] });
    } else {
      const cells = src.buckets.map(b => ({ x1: when(b[0]), x2: when(b[1]), closer: closers[b[2]], count: b[3] }));
      const stacked = new Map();
      for (const c of cells) {
        const base = stacked.get(+c.x1) || 0;
        c.y1 = base; c.y2 = base + c.count;
        stacked.set(+c.x1, c.y2);
      }
      const top = Math.max(1, ...stacked.values());
      const marks = src.markBuckets.map(m => ({ at: when((m[0] + m[1]) / 2), kind: kinds[m[2]], count: m[3],
        title: `${m[3]} ${kinds[m[2]]} in this ${Math.round(src.step)} ms` + (m[4] ? "" : " (placed at their connections' ends)") }));
      chart = P.plot({ width: widthOf(el), height: 300, marginLeft: 56, x: timeAxis(el),
        y: { label: `connections closed per ${(src.step / 1000).toFixed(src.step < 10000 ? 2 : 0)} s`, grid: true, domain: [0, top * 1.18] },
        color: { domain, range },
        marks: [
          P.rect(cells, { x1: "x1", x2: "x2", y1: "y1", y2: "y2", fill: "closer", inset: 0.3, ariaDescription: "bucket", title: d => `${d.count} closed by ${d.closer}` }),
          P.dot(marks.filter(m => m.kind === "GOAWAY"), { x: "at", y: top * 1.08, symbol: "diamond", r: 4, fill: "#1b1e23", title: "title", ariaDescription: "goaway-bucket" }),
          P.dot(marks.filter(m => m.kind === "RST_STREAM"), { x: "at", y: top * 1.14, symbol: "times", r: 4, stroke: "#c40000", strokeWidth: 2, title: "title", ariaDescription: "rst-bucket" }),
        ] });
    }
    const box = document.createElement("div");
    const names = { Client: "closed by us (client)", Server: "closed by the proxy", Aborted: "aborted (RST or error)", Open: "still open" };
    box.append(chart, legend([...closers.map(c => [names[c] || c, closerColours[c]]),
      ["GOAWAY", "#1b1e23", "diamond"], ["RST_STREAM", "#c40000", "times"]]));
    el.replaceChildren(box);
  }

  function latency(data, src) {
    const el = document.getElementById(src.id + "-latency");
    if (!el) return;
    const rows = src.latency.map(r => ({ series: r[0], x1: r[1], x2: r[2], count: r[3] }));
    const pct = src.percentiles.filter(p => p[1] > 0).map(p => ({ series: "request (percentiles)", name: p[0], ms: p[1] }));
    if (rows.length === 0 && pct.length === 0) { el.textContent = "No latencies in this input."; return; }
    const all = rows.flatMap(r => [r.x1, r.x2]).concat(pct.map(p => p.ms));
    const series = [...new Set(rows.map(r => r.series).concat(pct.map(p => p.series)))];
    const chart = P.plot({ width: widthOf(el), height: 70 + series.length * 110, marginLeft: 56, marginRight: 140,
      x: { type: "log", label: "milliseconds", domain: [Math.min(...all) * 0.8, Math.max(...all) * 1.25], grid: true },
      y: { label: "connections", grid: true }, fy: { domain: series, label: null },
      marks: [
        P.rect(rows, { x1: "x1", x2: "x2", y1: 0, y2: "count", fy: "series", fill: "#4269d0", inset: 0.5, ariaDescription: "latency-bin",
          title: d => `${d.series}: ${d.count} between ${d.x1} and ${d.x2} ms` }),
        P.ruleX(pct, { x: "ms", fy: "series", stroke: "#c40000", strokeWidth: 2, ariaDescription: "latency-percentile", title: d => `${d.name}: ${d.ms.toFixed(2)} ms` }),
        P.text(pct, { x: "ms", fy: "series", text: d => `${d.name} ${d.ms.toFixed(1)} ms`, frameAnchor: "top", dy: 4, dx: 4, textAnchor: "start" }),
      ] });
    put(src.id + "-latency", chart);
  }

  try {
    const data = JSON.parse(document.getElementById("gonet-data").textContent);
    timeWait(data);
    for (const src of data.sources) {
      timeline(data, src);
      latency(data, src);
    }
    root.dataset.rendered = "ok";
  } catch (e) {
    root.dataset.rendered = "error";
    const p = document.createElement("p");
    p.className = "note error";
    p.textContent = "The charts could not be drawn: " + e;
    document.body.prepend(p);
    console.error(e);
  } finally {
    root.dataset.renderMs = String(Math.round(performance.now() - started));
  }
})();
