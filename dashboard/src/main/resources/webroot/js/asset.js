// Asset: live charts of the sensor properties with the anomaly score below (history from Ditto's history API),
// current predictions and model version, the last simulation result, and the what-if form.
import { get, streamEvents, keepStreaming, mergeInto, DittoError } from './ditto.js';
import { el, healthBadge, number, timeAgo, status, errorText } from './format.js';
import { Series, timeChart } from './charts.js';
import { renderWhatIf } from './whatif.js';
import { renderActions } from './actions.js';

/** Features other services write: shown as cards, not charted as sensors. */
const SERVICE_FEATURES = new Set(['predictions', 'simulation']);
/** Counters and sequence numbers are no sensor values. */
const NOT_CHARTED = new Set(['seq']);
/** How far back the charts start: this many revisions before the current one. */
const HISTORY_REVISIONS = 600;

function sensorValues(thing) {
  const values = [];
  for (const [featureId, feature] of Object.entries((thing && thing.features) || {})) {
    if (SERVICE_FEATURES.has(featureId)) continue;
    for (const [property, value] of Object.entries((feature && feature.properties) || {})) {
      if (typeof value === 'number' && !NOT_CHARTED.has(property)) values.push([`${featureId}/${property}`, value]);
    }
  }
  return values;
}

function domId(key) {
  return key.replace(/[^a-zA-Z0-9_-]/g, '-');
}

export async function renderAsset(root, thingId, signal) {
  root.append(el('p', {}, el('a', { href: '#/fleet' }, '← Fleet')));
  let thing;
  try {
    thing = await get(`/things/${encodeURIComponent(thingId)}`,
      { fields: 'thingId,policyId,definition,attributes,features,_revision,_modified' }, { signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    root.append(el('h2', { text: thingId }),
      el('p', { class: 'error', role: 'alert', id: 'asset-error' },
        e instanceof DittoError && e.status === 404
          ? 'This twin does not exist, or you may not read it.' : errorText(e)));
    return;
  }

  const facts = el('dl', { class: 'facts', id: 'asset-values' });
  const predictionFacts = el('dl', { class: 'facts', id: 'asset-predictions' });
  const simulationFacts = el('div', { id: 'asset-simulation' });
  const charts = el('section', { class: 'charts', 'aria-label': 'Trends' });
  const historyNote = el('p', { class: 'muted', id: 'asset-history-note', text: 'loading history…' });
  const live = el('span', { class: 'live', id: 'asset-live', 'data-state': 'off', text: 'connecting' });
  root.append(
    el('h2', {}, thingId, ' ', live),
    el('div', { class: 'grid' },
      el('section', { class: 'card', 'aria-labelledby': 'values-title' },
        el('h3', { id: 'values-title', text: 'Sensor values' }), facts),
      el('section', { class: 'card', 'aria-labelledby': 'predictions-title' },
        el('h3', { id: 'predictions-title', text: 'Predictions' }), predictionFacts),
      el('section', { class: 'card', 'aria-labelledby': 'simulation-title' },
        el('h3', { id: 'simulation-title', text: 'Last simulation' }), simulationFacts)),
    historyNote,
    charts);
  renderWhatIf(root, thingId, signal);
  renderActions(root, thing, signal);

  function renderCards() {
    facts.replaceChildren(...sensorValues(thing).flatMap(([key, value]) => [
      el('dt', { text: key }), el('dd', { id: `value-${domId(key)}`, text: number(value, 3) })]));
    if (!facts.children.length) facts.append(el('dd', { class: 'muted', text: 'no sensor values yet' }));
    const p = (thing.features && thing.features.predictions && thing.features.predictions.properties) || null;
    predictionFacts.replaceChildren(...(p ? [
      el('dt', { text: 'Health' }), el('dd', { id: 'prediction-health' }, healthBadge(p.healthState)),
      el('dt', { text: 'Anomaly score' }), el('dd', { id: 'prediction-anomaly', text: number(p.anomalyScore) }),
      el('dt', { text: 'RUL' }), el('dd', { text: typeof p.rulCycles === 'number' ? `${Math.round(p.rulCycles)} cycles` : '—' }),
      el('dt', { text: 'Model' }), el('dd', { id: 'prediction-model', text: `${p.model || '—'} v${p.modelVersion ?? '—'}` }),
      el('dt', { text: 'Computed' }), el('dd', { title: p.computedAt || '', text: timeAgo(p.computedAt) }),
      el('dt', { text: 'Based on revision' }), el('dd', { text: p.basedOnRevision ?? '—' }),
    ] : [el('dd', { class: 'muted', text: 'no prediction yet' })]));
    const s = (thing.features && thing.features.simulation && thing.features.simulation.properties) || null;
    simulationFacts.replaceChildren(s ? el('dl', { class: 'facts' }, Object.entries(s)
      .filter(([, value]) => value === null || typeof value !== 'object')
      .flatMap(([key, value]) => [el('dt', { text: key }),
        el('dd', { text: typeof value === 'number' ? number(value, 2) : String(value) })]))
      : el('p', { class: 'muted', text: 'no simulation result in the twin yet' }));
  }

  // --- trends: one series per sensor property, plus the anomaly score
  const series = new Map();
  const chartsByKey = new Map();
  let redraw = 0;

  function chartFor(key, label, options) {
    if (!chartsByKey.has(key)) {
      const box = el('div', { class: 'chart', id: `chart-${domId(key)}` });
      const card = el('section', { class: 'card', 'aria-label': `${label} over time` }, el('h3', { text: label }), box);
      if (key === 'anomaly') charts.append(card); else charts.insertBefore(card, charts.querySelector('[data-anomaly]'));
      if (key === 'anomaly') card.dataset.anomaly = 'true';
      chartsByKey.set(key, timeChart(box, label, options));
    }
    return chartsByKey.get(key);
  }

  function scheduleRedraw() {
    if (redraw) return;
    redraw = requestAnimationFrame(() => {
      redraw = 0;
      let index = 0;
      for (const [key, s] of series) {
        if (key === 'anomaly') continue;
        chartFor(key, key, { colorIndex: index++ }).setData(s.columns());
      }
      if (series.has('anomaly')) {
        chartFor('anomaly', 'Anomaly score', { colorIndex: 4, range: [0, 1] }).setData(series.get('anomaly').columns());
      }
    });
  }

  /** Adds the values of one (historical or live) thing event to the series. */
  function addPoints(event) {
    const revision = event._revision;
    const seconds = (event._modified ? Date.parse(event._modified) : Date.now()) / 1000;
    if (revision == null) return;
    for (const [key, value] of sensorValues(event)) {
      if (!series.has(key)) series.set(key, new Series());
      series.get(key).add(revision, seconds, value);
    }
    const score = event.features && event.features.predictions && event.features.predictions.properties
      && event.features.predictions.properties.anomalyScore;
    if (typeof score === 'number') {
      if (!series.has('anomaly')) series.set('anomaly', new Series());
      series.get('anomaly').add(revision, seconds, score);
    }
    scheduleRedraw();
  }

  renderCards();
  const path = `/things/${encodeURIComponent(thingId)}`;
  // live first, so that nothing between the end of the history and the start of the live stream is missed
  keepStreaming(path, { fields: 'thingId,features,_revision,_modified' }, event => {
    mergeInto(thing, event);
    renderCards();
    addPoints(event);
  }, signal, (state, error) => {
    live.dataset.state = state;
    live.textContent = state === 'live' ? 'live' : `not live${error ? `: ${error.message}` : ''}`;
  });
  const from = Math.max(0, (thing._revision ?? HISTORY_REVISIONS) - HISTORY_REVISIONS);
  let historical = 0;
  try {
    await streamEvents(path, { 'from-historical-revision': from, fields: 'thingId,features,_revision,_modified' },
      event => {
        historical++;
        addPoints(event);
      }, { signal });
    historyNote.textContent = `${historical} recorded revisions since revision ${from}, then live.`;
  } catch (e) {
    if (e.name === 'AbortError') return;
    historyNote.textContent = `No history from Ditto (${errorText(e)}): charts show live values only.`;
  }
  status(`${thingId} loaded at ${new Date().toLocaleTimeString()}`);
  signal.addEventListener('abort', () => {
    cancelAnimationFrame(redraw);
    chartsByKey.forEach(chart => chart.destroy());
  });
}
