// Small presentation helpers shared by the pages.

const HEALTH_RANK = { alarm: 3, warning: 2, ok: 1, learning: 0 };

/** Higher is worse; unknown states rank below learning. */
export function healthRank(state) {
  return state in HEALTH_RANK ? HEALTH_RANK[state] : -1;
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child == null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function healthBadge(state) {
  const known = state && state in HEALTH_RANK;
  return el('span', { class: `health health-${known ? state : 'unknown'}`, text: state || 'no prediction' });
}

export function number(value, digits = 3) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—';
}

export function timeAgo(iso) {
  if (!iso) return '—';
  const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  if (seconds < 5) return 'just now';
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 129600) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleString();
}

export function status(text) {
  document.getElementById('status').textContent = text;
}

export function errorText(error) {
  return error.description ? `${error.message} ${error.description}` : error.message;
}
