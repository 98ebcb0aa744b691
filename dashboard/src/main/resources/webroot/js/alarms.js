// Alarms: every health-state change of every twin the user may read, newest first — from Ditto's history of the
// predictions feature, then live over SSE.
import { get, streamEvents, keepStreaming, DittoError } from './ditto.js';
import { el, healthBadge, healthRank, status, errorText } from './format.js';

const HEALTH_FIELDS = 'thingId,features/predictions/properties/healthState,_revision,_modified';
const PARALLEL_HISTORIES = 3;   // browsers allow few connections per host; live streams need some too

export async function renderAlarms(root, signal) {
  const changes = [];
  const lastState = new Map();
  const note = el('p', { class: 'muted', id: 'alarms-note', text: 'reading the history of every twin…' });
  const live = el('span', { class: 'live', id: 'alarms-live', 'data-state': 'off', text: 'connecting' });
  const body = el('tbody', { id: 'alarm-rows' });
  root.append(el('h2', {}, 'Alarms ', live), note,
    el('div', { class: 'table-wrap' }, el('table', {},
      el('caption', { text: 'Health-state changes, newest first' }),
      el('thead', {}, el('tr', {}, ['Time', 'Twin', 'From', 'To'].map(label => el('th', { scope: 'col', text: label })))),
      body)));

  function render() {
    changes.sort((a, b) => b.at.localeCompare(a.at) || b.revision - a.revision);
    body.replaceChildren(...changes.map(change => el('tr', {
      'data-thing-id': change.thingId, 'data-to': change.to, class: healthRank(change.to) > healthRank(change.from)
        ? 'worse' : 'better' },
    el('td', { title: change.at, text: new Date(change.at).toLocaleString() }),
    el('th', { scope: 'row' }, el('a', { href: `#/asset/${encodeURIComponent(change.thingId)}` }, change.thingId)),
    el('td', {}, change.from ? healthBadge(change.from) : '—'),
    el('td', {}, healthBadge(change.to)))));
  }

  /** Records a state if it differs from the twin's previous one. */
  function observe(thingId, state, at, revision) {
    if (!state) return false;
    const previous = lastState.get(thingId);
    if (previous === state) return false;
    lastState.set(thingId, state);
    changes.push({ thingId, from: previous || null, to: state, at: at || new Date().toISOString(), revision });
    return true;
  }

  let things;
  try {
    const result = await get('/search/things', { option: 'size(200)', fields: 'thingId' }, { signal });
    things = result.items.map(item => item.thingId);
  } catch (e) {
    if (e.name !== 'AbortError') note.textContent = e instanceof DittoError ? errorText(e) : e.message;
    return;
  }
  const buffered = [];
  let historyDone = false;
  keepStreaming('/things', { fields: 'thingId,features/predictions/properties/healthState,_modified' }, event => {
    const state = event.features && event.features.predictions && event.features.predictions.properties
      && event.features.predictions.properties.healthState;
    if (!state) return;
    if (!historyDone) {
      buffered.push(event);
    } else if (observe(event.thingId, state, event._modified)) {
      render();
    }
  }, signal, (state, error) => {
    live.dataset.state = state;
    live.textContent = state === 'live' ? 'live' : `not live${error ? `: ${error.message}` : ''}`;
  });

  let unavailable = 0;
  const queue = [...things];
  async function worker() {
    while (queue.length && !signal.aborted) {
      const thingId = queue.shift();
      const events = [];
      try {
        await streamEvents(`/things/${encodeURIComponent(thingId)}`, { 'from-historical-revision': 0,
          fields: HEALTH_FIELDS, filter: 'exists(features/predictions/properties/healthState)' },
        event => events.push(event), { signal });
      } catch (e) {
        if (e.name === 'AbortError') return;
        unavailable++;
      }
      events.sort((a, b) => (a._revision ?? 0) - (b._revision ?? 0)).forEach(event => observe(thingId,
        event.features && event.features.predictions && event.features.predictions.properties.healthState,
        event._modified, event._revision));
    }
  }
  await Promise.all(Array.from({ length: PARALLEL_HISTORIES }, worker));
  if (signal.aborted) return;
  historyDone = true;
  buffered.forEach(event => observe(event.thingId, event.features.predictions.properties.healthState, event._modified));
  render();
  note.textContent = `${changes.length} changes of ${things.length} twins`
    + (unavailable ? `; no history for ${unavailable} (Ditto's history may be off or retained briefly)` : '')
    + '. New changes appear live.';
  status(`alarms loaded at ${new Date().toLocaleTimeString()}`);
}
