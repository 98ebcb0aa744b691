// Actions: the Thing Model's actions of the asset as forms. Each sends Ditto's live message <action> to the
// thing's inbox (HTTP messages API); the Hono connection turns it into a command for the device, whose answer
// (status and body) is shown. The Thing Model comes from the dashboard (/models/<file>, the product's
// models as Ditto downloads them), found by the last path segment of the thing's "definition".
import { request, DittoError } from './ditto.js';
import { el, errorText } from './format.js';

const TIMEOUT_SECONDS = 10;

export async function renderActions(root, thing, signal) {
  const definition = typeof thing.definition === 'string' ? thing.definition : '';
  const file = definition.split('/').pop();
  if (!file || !file.endsWith('.tm.jsonld')) return;
  let model;
  try {
    const response = await fetch(`/models/${encodeURIComponent(file)}`, { signal });
    if (!response.ok) return;
    model = await response.json();
  } catch (e) {
    return; // no model, no actions: the rest of the page stands
  }
  const actions = Object.entries(model.actions || {});
  if (!actions.length) return;
  const result = el('div', { id: 'action-result', 'aria-live': 'polite' });
  root.append(el('section', { class: 'card actions', 'aria-labelledby': 'actions-title' },
    el('h3', { id: 'actions-title', text: 'Actions' }),
    el('p', { class: 'muted', text: 'Commands to the device (live messages through Hono); its answer appears below.' }),
    actions.map(([name, action]) => actionForm(thing.thingId, name, action, result, signal)),
    result));
}

function actionForm(thingId, name, action, result, signal) {
  const fields = Object.entries((action.input && action.input.properties) || {});
  const required = new Set((action.input && action.input.required) || []);
  const submit = el('button', { type: 'submit', text: action.title || name });
  const form = el('form', { class: 'action', id: `action-${name}`, 'data-action': name, onsubmit: async event => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {};
    for (const [field, schema] of fields) {
      const value = data.get(field);
      if (schema.type === 'boolean') body[field] = value === 'on';
      else if (value !== null && value !== '') body[field] = schema.type === 'number' || schema.type === 'integer'
        ? Number(value) : value;
    }
    const timeout = Number(form.dataset.timeoutSeconds) || TIMEOUT_SECONDS;
    submit.disabled = true;
    result.replaceChildren(el('p', { class: 'muted', text: `${name}: waiting for the device…` }));
    try {
      const answer = await request('POST', `/things/${encodeURIComponent(thingId)}/inbox/messages/${encodeURIComponent(name)}`,
        { query: { timeout }, body, signal });
      result.replaceChildren(el('p', { id: 'action-answer', 'data-status': 'ok' },
        `${name}: the device answered `, el('code', { text: typeof answer === 'string' ? answer : JSON.stringify(answer) })));
    } catch (e) {
      if (e.name === 'AbortError') return;
      result.replaceChildren(el('p', { class: 'error', role: 'alert', id: 'action-answer', 'data-status': e.status || '' },
        e instanceof DittoError && e.status === 408 ? `${name}: no answer from the device within ${timeout} s.`
          : e instanceof DittoError && e.status === 503 ? `${name}: the device is not connected (${e.message}).`
          : e instanceof DittoError ? `${name}: ${e.status} ${e.error || ''} ${errorText(e)}` : `${name}: ${e.message}`));
    } finally {
      submit.disabled = false;
    }
  } },
  fields.map(([field, schema]) => el('label', {}, `${schema.title || field}${schema.unit ? ` (${schema.unit})` : ''}`,
    el('input', schema.type === 'boolean' ? { name: field, type: 'checkbox' } : {
      name: field,
      type: schema.type === 'number' || schema.type === 'integer' ? 'number' : 'text',
      min: schema.minimum, max: schema.maximum, step: schema.type === 'integer' ? 1 : 'any',
      required: required.has(field),
    }))),
  submit);
  return form;
}
