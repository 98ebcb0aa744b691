// Time-series charts with uPlot (from its WebJar, no build step): one chart per signal, appended live.
import uPlot from '/vendor/uplot/dist/uPlot.esm.js';

const MAX_POINTS = 2000;
const COLORS = ['#0b5cad', '#8250df', '#1a7f37', '#bc4c00', '#cf222e', '#57606a'];

/** A growing series of (time, value) points keyed by Ditto revision, so history and live data merge cleanly. */
export class Series {
  constructor() {
    this.points = new Map();
  }

  add(revision, seconds, value) {
    this.points.set(revision, [seconds, value]);
    if (this.points.size > MAX_POINTS) this.points.delete(this.points.keys().next().value);
  }

  columns() {
    const sorted = [...this.points.values()].sort((a, b) => a[0] - b[0]);
    return [sorted.map(p => p[0]), sorted.map(p => p[1])];
  }
}

function width(container) {
  return Math.max(280, container.clientWidth - 4);
}

/** A uPlot line chart in the container; update() redraws it from its series (x in seconds). */
export function timeChart(container, label, { colorIndex = 0, range = null, xLabel = null, xIsTime = true } = {}) {
  const options = {
    width: width(container),
    height: 190,
    legend: { live: true },
    scales: { x: { time: xIsTime }, y: range ? { range } : {} },
    axes: [{ label: xLabel }, { size: 56 }],
    series: [{}, { label, stroke: COLORS[colorIndex % COLORS.length], width: 2, points: { show: false } }],
  };
  const plot = new uPlot(options, [[], []], container);
  const resize = () => plot.setSize({ width: width(container), height: 190 });
  window.addEventListener('resize', resize);
  return {
    setData: columns => plot.setData(columns),
    destroy: () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    },
  };
}

/** A chart of several named series over a shared numeric x (e.g. a what-if trajectory over hours). */
export function multiChart(container, xLabel, names, columns) {
  const options = {
    width: width(container),
    height: 240,
    scales: { x: { time: false } },
    axes: [{ label: xLabel }, { size: 56 }],
    series: [{ label: xLabel }, ...names.map((name, i) => ({ label: name, stroke: COLORS[i % COLORS.length], width: 2 }))],
  };
  return new uPlot(options, columns, container);
}
