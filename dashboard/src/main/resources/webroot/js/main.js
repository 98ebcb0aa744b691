// The dashboard's entry point: sign-in, and a hash router over the pages (#/fleet, #/asset/<thingId>, #/alarms).
import { signIn, signOut, currentUser, onUnauthorized, get, DittoError } from './ditto.js';
import { renderFleet } from './fleet.js';
import { renderAsset } from './asset.js';
import { renderAlarms } from './alarms.js';

const page = document.getElementById('page');
const login = document.getElementById('login');
let pageLifetime = new AbortController();

function showLogin(message) {
  pageLifetime.abort();
  page.replaceChildren();
  login.hidden = false;
  document.getElementById('session').hidden = true;
  document.getElementById('login-error').textContent = message || '';
  document.getElementById('login-user').focus();
}

function showSession() {
  login.hidden = true;
  document.getElementById('session').hidden = false;
  document.getElementById('session-user').textContent = `Signed in as ${currentUser()}`;
}

async function route() {
  pageLifetime.abort();
  pageLifetime = new AbortController();
  if (!currentUser()) {
    showLogin();
    return;
  }
  showSession();
  const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  const [name, ...rest] = hash.split('/');
  document.querySelectorAll('nav a[data-page]').forEach(link => {
    if (link.dataset.page === (name || 'fleet')) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  });
  page.replaceChildren();
  const signal = pageLifetime.signal;
  if (name === 'asset' && rest.length) {
    await renderAsset(page, rest.join('/'), signal);
  } else if (name === 'alarms') {
    await renderAlarms(page, signal);
  } else {
    await renderFleet(page, signal);
  }
}

document.getElementById('login-form').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.target;
  signIn(form.user.value.trim(), form.password.value);
  try {
    // any authenticated request checks the credentials; a user may well see no twin at all
    await get('/search/things/count');
    form.password.value = '';
    route();
  } catch (e) {
    signOut();
    showLogin(e instanceof DittoError && e.status === 401 ? 'Ditto refused the user name or password.' : e.message);
  }
});

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  showLogin();
});

onUnauthorized(() => {
  signOut();
  showLogin('Ditto no longer accepts these credentials: sign in again.');
});

window.addEventListener('hashchange', route);
route();
