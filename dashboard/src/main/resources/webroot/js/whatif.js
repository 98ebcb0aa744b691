// What-if: sends Ditto's live message 'simulate' to the twin (HTTP messages API; the simulation service answers)
// and plots the trajectory of the answer. The answer's shape is documented in dashboard/README.md.
import { request, DittoError } from './ditto.js';
import { el, number, errorText } from './format.js';
import { multiChart } from './charts.js';

const TIMEOUT_SECONDS = 30;

export function renderWhatIf(root, thingId, signal) {
  const result = el('div', { id: 'whatif-result', 'aria-live': 'polite' });
  const submit = el('button', { type: 'submit' }, 'Simulate');
  const form = el('form', { id: 'whatif-form', onsubmit: async event => {
    event.preventDefault();
    const data = new FormData(form);
    // the simulation service's scenario (sim-service/README.md): load as a factor of the rated load
    const scenario = {
      horizonHours: Number(data.get('horizonHours')),
      loadFactor: Number(data.get('loadPercent')) / 100,
    };
    // a test (or an impatient operator's browser console) may shorten the wait
    const timeout = Number(form.dataset.timeoutSeconds) || TIMEOUT_SECONDS;
    submit.disabled = true;
    result.replaceChildren(el('p', { class: 'muted', text: 'simulating…' }));
    try {
      const answer = await request('POST', `/things/${encodeURIComponent(thingId)}/inbox/messages/simulate`,
        { query: { timeout }, body: scenario, signal });
      showAnswer(result, typeof answer === 'string' ? JSON.parse(answer) : answer);
    } catch (e) {
      if (e.name === 'AbortError') return;
      result.replaceChildren(el('p', { class: 'error', role: 'alert', id: 'whatif-error' },
        e instanceof DittoError && e.status === 408
          ? `No simulation service answered within ${timeout} s.`
          : e instanceof DittoError ? errorText(e) : `The answer could not be read: ${e.message}`));
    } finally {
      submit.disabled = false;
    }
  } },
  el('label', {}, 'Horizon (hours)', el('input', { name: 'horizonHours', type: 'number', min: 1, max: 8760, step: 1,
    value: 168, required: true })),
  el('label', {}, 'Load (% of rated)', el('input', { name: 'loadPercent', type: 'number', min: 10, max: 200, step: 1,
    value: 100, required: true })),
  submit);
  root.append(el('section', { class: 'card whatif', 'aria-labelledby': 'whatif-title' },
    el('h3', { id: 'whatif-title', text: 'What if…' }),
    el('p', { class: 'muted', text: 'Asks the simulation service (live message "simulate") how this asset would degrade.' }),
    form, result));
}

function showAnswer(container, answer) {
  const trajectory = Array.isArray(answer.trajectory) ? answer.trajectory : [];
  const names = [...new Set(trajectory.flatMap(point => Object.keys(point)))]
    .filter(key => key !== 'hours' && trajectory.some(point => typeof point[key] === 'number'));
  const hours = answer.timeToThresholdHours;
  const summary = el('p', { id: 'whatif-summary' }, typeof hours === 'number'
    ? `Threshold reached in ${number(hours, 1)} h (${number(hours / 24, 1)} days).`
    : 'Threshold not reached within the horizon.');
  const chartBox = el('div', { class: 'chart', id: 'whatif-chart' });
  const table = el('table', {},
    el('caption', { text: 'Trajectory' }),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'hours' }),
      names.map(name => el('th', { scope: 'col', text: name })))),
    el('tbody', {}, trajectory.map(point => el('tr', {},
      el('td', { class: 'num', text: number(point.hours, 1) }),
      names.map(name => el('td', { class: 'num', text: number(point[name], 3) }))))));
  container.replaceChildren(summary, chartBox,
    el('details', {}, el('summary', { text: `Trajectory as a table (${trajectory.length} points)` }),
      el('div', { class: 'table-wrap' }, table)));
  if (trajectory.length) {
    multiChart(chartBox, 'hours', names,
      [trajectory.map(point => point.hours), ...names.map(name => trajectory.map(point => point[name] ?? null))]);
  }
}
