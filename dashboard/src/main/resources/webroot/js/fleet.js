// Fleet: every twin the user may read, worst first, filterable with RQL, updated live over SSE.
import { get, keepStreaming, mergeInto, DittoError } from './ditto.js';
import { el, healthBadge, healthRank, number, timeAgo, status, errorText } from './format.js';

const FIELDS = 'thingId,attributes,features/predictions,_modified';
const PAGE_SIZE = 200;
const MAX_PAGES = 25;

const COLUMNS = [
  { key: 'thingId', label: 'Twin', value: t => t.thingId },
  { key: 'type', label: 'Type', value: t => (t.attributes && t.attributes.type) || '' },
  { key: 'health', label: 'Health', value: t => healthRank(prediction(t).healthState) },
  { key: 'anomaly', label: 'Anomaly score', value: t => numeric(prediction(t).anomalyScore), numeric: true },
  { key: 'rul', label: 'RUL (cycles)', value: t => numeric(prediction(t).rulCycles), numeric: true },
  { key: 'modified', label: 'Last update', value: t => t._modified || '' },
];

function prediction(thing) {
  return (thing.features && thing.features.predictions && thing.features.predictions.properties) || {};
}

function numeric(value) {
  return typeof value === 'number' ? value : -Infinity;
}

/** Worst first: health, then anomaly score, then the soonest end of life. */
function worstFirst(a, b) {
  return healthRank(prediction(b).healthState) - healthRank(prediction(a).healthState)
    || numeric(prediction(b).anomalyScore) - numeric(prediction(a).anomalyScore)
    || (prediction(a).rulCycles ?? Infinity) - (prediction(b).rulCycles ?? Infinity)
    || a.thingId.localeCompare(b.thingId);
}

export async function renderFleet(root, signal) {
  const things = new Map();
  let sort = { key: 'health', descending: true };
  let filter = new URLSearchParams(location.hash.split('?')[1] || '').get('filter') || '';

  const filterInput = el('input', { name: 'filter', id: 'fleet-filter', value: filter, spellcheck: 'false',
    placeholder: 'e.g. eq(attributes/type,"centrifugal-pump")', 'aria-describedby': 'fleet-filter-help' });
  const filterError = el('p', { class: 'error', id: 'fleet-filter-error', role: 'alert' });
  const live = el('span', { class: 'live', id: 'fleet-live', 'data-state': 'off', text: 'connecting' });
  const caption = el('caption', { id: 'fleet-caption' });
  const head = el('thead');
  const body = el('tbody', { id: 'fleet-rows' });

  root.append(
    el('h2', { text: 'Fleet' }),
    el('form', { class: 'toolbar', role: 'search', onsubmit: event => {
      event.preventDefault();
      filter = filterInput.value.trim();
      load();
    } },
    el('label', { for: 'fleet-filter' }, 'RQL filter', filterInput),
    el('button', { type: 'submit' }, 'Apply'),
    live),
    el('p', { id: 'fleet-filter-help', class: 'muted' },
      'Which asset needs attention, why, and by when: worst health first. Filter with Ditto RQL, ',
      'e.g. ', el('code', {}, 'eq(features/predictions/properties/healthState,"alarm")'), '.'),
    filterError,
    el('div', { class: 'table-wrap' }, el('table', { id: 'fleet-table' }, caption, head, body)));

  function renderHead() {
    head.replaceChildren(el('tr', {}, COLUMNS.map(column => {
      const sorted = sort.key === column.key;
      return el('th', { scope: 'col', 'aria-sort': sorted ? (sort.descending ? 'descending' : 'ascending') : 'none',
        class: column.numeric ? 'num' : null },
      el('button', { type: 'button', class: 'link', 'data-sort': column.key, onclick: () => {
        sort = { key: column.key, descending: sorted ? !sort.descending : column.key === 'health' };
        renderHead();
        renderRows();
      } }, column.label, sorted ? (sort.descending ? ' ▼' : ' ▲') : ''));
    })));
  }

  function ordered() {
    const rows = [...things.values()];
    if (sort.key === 'health') {
      rows.sort(worstFirst);
      return sort.descending ? rows : rows.reverse();
    }
    const column = COLUMNS.find(c => c.key === sort.key);
    rows.sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      const order = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
      return order || a.thingId.localeCompare(b.thingId);
    });
    return sort.descending ? rows.reverse() : rows;
  }

  function renderRows() {
    body.replaceChildren(...ordered().map(thing => {
      const p = prediction(thing);
      return el('tr', { 'data-thing-id': thing.thingId },
        el('th', { scope: 'row' }, el('a', { href: `#/asset/${encodeURIComponent(thing.thingId)}` }, thing.thingId)),
        el('td', {}, (thing.attributes && thing.attributes.type) || '—'),
        el('td', { 'data-health': p.healthState || '' }, healthBadge(p.healthState)),
        el('td', { class: 'num' }, typeof p.anomalyScore === 'number'
          ? el('span', { class: 'score' }, el('meter', { min: 0, max: 1, low: 0.5, high: 0.8, optimum: 0,
            value: p.anomalyScore, 'aria-hidden': 'true' }), number(p.anomalyScore)) : '—'),
        el('td', { class: 'num' }, typeof p.rulCycles === 'number' ? Math.round(p.rulCycles) : '—'),
        el('td', { title: thing._modified || '' }, timeAgo(thing._modified)));
    }));
    caption.textContent = `${things.size} twin${things.size === 1 ? '' : 's'}`
      + (filter ? ` matching ${filter}` : '') + ', worst first by default; choose a column header to sort.';
  }

  async function load() {
    const found = new Map();
    try {
      let cursor = null;
      for (let pageNo = 0; pageNo < MAX_PAGES; pageNo++) {
        const options = [`size(${PAGE_SIZE})`, cursor ? `cursor(${cursor})` : null].filter(Boolean).join(',');
        const result = await get('/search/things', { filter: filter || null, option: options, fields: FIELDS },
          { signal });
        result.items.forEach(item => found.set(item.thingId, item));
        cursor = result.cursor;
        if (!cursor) break;
      }
    } catch (e) {
      if (e.name === 'AbortError') return;
      filterError.textContent = e instanceof DittoError ? `Ditto refused the search: ${errorText(e)}` : e.message;
      return;
    }
    filterError.textContent = '';
    things.clear();
    found.forEach((thing, id) => things.set(id, thing));
    renderRows();
    status(`fleet loaded at ${new Date().toLocaleTimeString()}`);
  }

  let reloadTimer = null;
  function reloadSoon() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(load, 500);
  }

  function onEvent(event) {
    if (!event.thingId) return;
    const known = things.get(event.thingId);
    if (known) {
      mergeInto(known, event);
      renderRows();
    } else {
      reloadSoon();   // a new twin (or one that now matches): the search decides whether it is listed
    }
  }

  renderHead();
  await load();
  keepStreaming('/things', { fields: 'thingId,attributes/type,features/predictions,_modified' }, onEvent, signal,
    (state, error) => {
      live.dataset.state = state;
      live.textContent = state === 'live' ? 'live' : `not live${error ? `: ${error.message}` : ''}`;
      if (state === 'live') reloadSoon();   // catch up on what changed while the stream was down
    });
  const ticker = setInterval(renderRows, 5000);
  signal.addEventListener('abort', () => {
    clearInterval(ticker);
    clearTimeout(reloadTimer);
  });
}
