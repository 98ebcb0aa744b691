// The Ditto HTTP API as the page uses it: JSON requests and server-sent events, always with the signed-in
// user's own credentials (HTTP Basic), through the dashboard's /api/2 proxy. Nothing here is specific to the
// local stack: the same calls work against real Ditto.

const CREDENTIALS_KEY = 'twinworks.dittoAuth';
const USER_KEY = 'twinworks.dittoUser';

/** Thrown for any non-2xx answer; carries Ditto's error JSON ({status,error,message,description}). */
export class DittoError extends Error {
  constructor(status, body) {
    super((body && body.message) || `Ditto answered ${status}`);
    this.status = status;
    this.error = body && body.error;
    this.description = body && body.description;
  }
}

export function signIn(user, password) {
  // btoa needs Latin-1: encode UTF-8 first so that any user name works
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  sessionStorage.setItem(CREDENTIALS_KEY, btoa(String.fromCharCode(...bytes)));
  sessionStorage.setItem(USER_KEY, user);
}

export function signOut() {
  sessionStorage.removeItem(CREDENTIALS_KEY);
  sessionStorage.removeItem(USER_KEY);
}

export function currentUser() {
  return sessionStorage.getItem(USER_KEY);
}

function headers(extra = {}) {
  const credentials = sessionStorage.getItem(CREDENTIALS_KEY);
  const result = { ...extra };
  if (credentials) result.Authorization = `Basic ${credentials}`;
  return result;
}

const listeners = new Set();
/** Called with the error when Ditto refuses the credentials (401), so the page can ask again. */
export function onUnauthorized(listener) {
  listeners.add(listener);
}

async function failure(response) {
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = { message: `${response.status} ${response.statusText}` };
  }
  const error = new DittoError(response.status, body);
  if (response.status === 401) listeners.forEach(listener => listener(error));
  return error;
}

/** GET/PUT/POST/... a path below /api/2 and returns the parsed JSON answer (or the text when it is not JSON). */
export async function request(method, path, { query, body, contentType, signal, extraHeaders } = {}) {
  const url = new URL(`/api/2${path}`, location.origin);
  if (query) Object.entries(query).forEach(([key, value]) => value != null && url.searchParams.set(key, value));
  const init = { method, headers: headers({ Accept: 'application/json', ...extraHeaders }), signal };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['Content-Type'] = contentType || 'application/json';
  }
  const response = await fetch(url, init);
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return null;
  const text = await response.text();
  const type = response.headers.get('content-type') || '';
  return type.includes('json') && text ? JSON.parse(text) : text;
}

export const get = (path, query, options = {}) => request('GET', path, { ...options, query });

/**
 * Opens Ditto's server-sent events at the path (e.g. '/things') and calls onEvent(json) for every event.
 * EventSource cannot send an Authorization header, so the stream is read with fetch. Resolves when the
 * stream ends (a historical stream ends after its last event; a live one when aborted or closed by Ditto);
 * rejects with a DittoError when Ditto refuses it.
 */
export async function streamEvents(path, query, onEvent, { signal, onOpen } = {}) {
  const url = new URL(`/api/2${path}`, location.origin);
  if (query) Object.entries(query).forEach(([key, value]) => value != null && url.searchParams.set(key, value));
  const response = await fetch(url, { headers: headers({ Accept: 'text/event-stream' }), signal, cache: 'no-store' });
  if (!response.ok) throw await failure(response);
  if (onOpen) onOpen();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter(line => line.startsWith('data:'))
          .map(line => line.slice(line.startsWith('data: ') ? 6 : 5)).join('\n');
        if (data) {
          let json;
          try {
            json = JSON.parse(data);
          } catch (e) {
            console.warn('ignoring an event that is no JSON', data);
            continue;
          }
          onEvent(json);
        }
      }
    }
  } catch (e) {
    if (e.name !== 'AbortError') throw e;
  }
}

/**
 * Keeps a live event stream open: reconnects after a pause when Ditto or the network drops it, until the
 * signal aborts. onState('live' | 'off', error?) reports the connection for the page.
 */
export function keepStreaming(path, query, onEvent, signal, onState) {
  (async () => {
    while (!signal.aborted) {
      try {
        await streamEvents(path, query, onEvent, { signal, onOpen: () => onState('live') });
        if (!signal.aborted) onState('off');
      } catch (e) {
        if (signal.aborted) return;
        onState('off', e);
        if (e instanceof DittoError && (e.status === 401 || e.status === 400)) return;
      }
      await new Promise(resolve => setTimeout(resolve, 3000));
    }
  })();
}

/** Deep-merges a partial thing (an event) into a cached one, as Ditto's merge semantics would. */
export function mergeInto(target, patch) {
  for (const [key, value] of Object.entries(patch)) {
    if (value && typeof value === 'object' && !Array.isArray(value)
        && target[key] && typeof target[key] === 'object' && !Array.isArray(target[key])) {
      mergeInto(target[key], value);
    } else {
      target[key] = value;
    }
  }
  return target;
}
