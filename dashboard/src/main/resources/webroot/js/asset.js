// Asset page (filled in by the next increment).
import { el } from './format.js';

export async function renderAsset(root, thingId) {
  root.append(el('h2', { text: thingId }));
}
