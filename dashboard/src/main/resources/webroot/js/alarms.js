// Alarms page (filled in by a later increment).
import { el } from './format.js';

export async function renderAlarms(root) {
  root.append(el('h2', { text: 'Alarms' }));
}
