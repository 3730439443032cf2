// The to-do single-page app: signs in with Keygate using the authorization code flow with
// PKCE (RFC 7636, S256), as a public client (no secret), and calls todo-api with the access
// token. Tokens live in the variables below only: never in localStorage, sessionStorage or
// cookies. sessionStorage holds the PKCE verifier, state and nonce just for the round trip
// to Keygate's sign-in page, and is cleared as soon as the browser comes back.

const LOGIN_KEY = 'spa-login';
const LOGOUT_KEY = 'spa-logout';
const EARLY_MS = 30_000; // refresh this long before the access token expires

let config; // /config.json: issuer, client_id, todo_api, todo_audience, scope
let meta; // Keygate's discovery document
let tokens = null; // { access, refresh, idToken, expiresAt }: memory only
let refreshing = null; // the refresh in flight: one at a time, so rotation stays in order
let refreshTimer;

class OAuthError extends Error {
  constructor(code, description) {
    super(description ? `${code}: ${description}` : code);
    this.code = code;
  }
}

class SignInAgain extends Error {
  constructor() {
    super('Your sign-in has ended. Please sign in again.');
  }
}

const $ = (id) => document.getElementById(id);

function base64url(bytes) {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeBase64url(text) {
  const padded = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

const randomString = (bytes) => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

async function s256(verifier) {
  return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
}

const redirectUri = () => `${location.origin}/callback`;

async function getJson(url) {
  const reply = await fetch(url);
  if (!reply.ok) throw new Error(`${url} answered ${reply.status}`);
  return reply.json();
}

// --- Signing in -------------------------------------------------------------------------

async function signIn() {
  const login = { state: randomString(16), nonce: randomString(16), verifier: randomString(32) };
  sessionStorage.setItem(LOGIN_KEY, JSON.stringify(login));
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.client_id,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state: login.state,
    nonce: login.nonce,
    code_challenge: await s256(login.verifier),
    code_challenge_method: 'S256',
    resource: config.todo_audience,
  });
  location.assign(url);
}

async function tokenRequest(params) {
  const reply = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: config.client_id, ...params }),
  });
  const body = await reply.json().catch(() => ({}));
  if (!reply.ok) throw new OAuthError(body.error || `HTTP ${reply.status}`, body.error_description);
  if (String(body.token_type).toLowerCase() !== 'bearer') throw new Error('unexpected token_type');
  return body;
}

// The ID token comes straight from the token endpoint, so the client may rely on the
// connection instead of its signature (OIDC Core §3.1.3.7, item 6); its claims are checked.
function checkIdToken(idToken, nonce) {
  if (!idToken) throw new Error('Keygate sent no ID token.');
  const claims = JSON.parse(new TextDecoder().decode(decodeBase64url(idToken.split('.')[1] || '')));
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const ok = claims.iss === meta.issuer && aud.includes(config.client_id) && claims.nonce === nonce
    && (!claims.azp || claims.azp === config.client_id) && claims.exp * 1000 > Date.now() - 60_000;
  if (!ok) throw new Error('The ID token is not for this sign-in.');
  return claims;
}

// Keeps a token response; a response without a refresh token keeps the current one.
function keep(body) {
  tokens = {
    access: body.access_token,
    refresh: body.refresh_token || tokens?.refresh,
    idToken: body.id_token || tokens?.idToken,
    expiresAt: Date.now() + (body.expires_in || 300) * 1000,
  };
  clearTimeout(refreshTimer);
  const wait = Math.max(tokens.expiresAt - Date.now() - EARLY_MS, 5_000);
  refreshTimer = setTimeout(() => refresh().catch(showError), wait);
}

function forget() {
  tokens = null;
  clearTimeout(refreshTimer);
}

async function finishSignIn(params) {
  const saved = JSON.parse(sessionStorage.getItem(LOGIN_KEY) || 'null');
  sessionStorage.removeItem(LOGIN_KEY);
  history.replaceState(null, '', '/'); // the code and state leave the address bar
  if (!saved || params.get('state') !== saved.state) {
    throw new Error('This answer does not belong to a sign-in started here.');
  }
  if (params.has('iss') && params.get('iss') !== meta.issuer) throw new Error('Wrong issuer.');
  if (params.has('error')) throw new OAuthError(params.get('error'), params.get('error_description'));
  const body = await tokenRequest({
    grant_type: 'authorization_code',
    code: params.get('code') || '',
    redirect_uri: redirectUri(),
    code_verifier: saved.verifier,
  });
  const claims = checkIdToken(body.id_token, saved.nonce);
  keep(body);
  return claims;
}

// --- Tokens for todo-api ----------------------------------------------------------------

// Uses the refresh token (RFC 6749 §6). Keygate rotates it: the answer's refresh token
// replaces ours, and the old one is spent.
function refresh() {
  refreshing ||= (async () => {
    if (!tokens?.refresh) throw new SignInAgain();
    try {
      keep(await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh }));
    } catch (e) {
      if (e instanceof OAuthError) {
        forget();
        throw new SignInAgain();
      }
      throw e;
    }
  })().finally(() => { refreshing = null; });
  return refreshing;
}

function send(path, options) {
  const headers = { ...options.headers, authorization: `Bearer ${tokens.access}` };
  return fetch(`${config.todo_api}${path}`, { ...options, headers });
}

// Calls todo-api: refreshes first when the token is about to expire, and once more (then
// retries) when todo-api answers 401.
async function callApi(path, options = {}) {
  if (!tokens) throw new SignInAgain();
  if (Date.now() > tokens.expiresAt - EARLY_MS) await refresh();
  let reply = await send(path, options);
  if (reply.status === 401) {
    await refresh();
    reply = await send(path, options);
  }
  if (!reply.ok) throw new Error(`todo-api answered ${reply.status}`);
  return reply;
}

// --- Signing out ------------------------------------------------------------------------

async function signOut() {
  const { idToken, refresh: refreshToken } = tokens || {};
  forget();
  if (refreshToken && meta.revocation_endpoint) {
    const body = new URLSearchParams({ client_id: config.client_id, token: refreshToken, token_type_hint: 'refresh_token' });
    await fetch(meta.revocation_endpoint, { method: 'POST', body }).catch(() => {});
  }
  const state = randomString(16);
  sessionStorage.setItem(LOGOUT_KEY, state);
  const url = new URL(meta.end_session_endpoint);
  url.search = new URLSearchParams({
    client_id: config.client_id,
    post_logout_redirect_uri: `${location.origin}/`,
    state,
    ...(idToken ? { id_token_hint: idToken } : {}),
  });
  location.assign(url);
}

// --- The page ---------------------------------------------------------------------------

function show(view, message) {
  $('loading').hidden = true;
  $('signed-out-view').hidden = view !== 'out';
  $('signed-in-view').hidden = view !== 'in';
  $('signout').hidden = view !== 'in';
  $('status').hidden = !message;
  $('status').textContent = message || '';
}

function showError(e) {
  if (e instanceof SignInAgain) show('out');
  $('error').hidden = false;
  $('error').textContent = e.message;
}

async function renderUser(idClaims) {
  const reply = await fetch(meta.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access}` } });
  const user = reply.ok ? await reply.json() : idClaims;
  $('user-name').textContent = user.name || user.preferred_username || user.sub;
  $('user-email').textContent = user.email || '';
}

async function renderTodos() {
  const todos = await (await callApi('/todos')).json();
  $('todos').replaceChildren(...todos.map((todo) => {
    const item = document.createElement('li');
    item.textContent = todo.title;
    if (todo.done) item.className = 'done';
    return item;
  }));
  $('no-todos').hidden = todos.length > 0;
}

async function addTodo(event) {
  event.preventDefault();
  $('error').hidden = true;
  const title = $('title').value.trim();
  if (!title) return;
  await callApi('/todos', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  $('title').value = '';
  await renderTodos();
}

async function start() {
  config = await getJson('/config.json');
  meta = await getJson(`${config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  $('signin').addEventListener('click', () => signIn().catch(showError));
  $('signout').addEventListener('click', () => signOut().catch(showError));
  $('add-form').addEventListener('submit', (e) => addTodo(e).catch(showError));
  const params = new URLSearchParams(location.search);
  if (location.pathname === '/callback') {
    const claims = await finishSignIn(params);
    show('in');
    await renderUser(claims);
    await renderTodos();
    return;
  }
  const signedOut = params.has('state') && params.get('state') === sessionStorage.getItem(LOGOUT_KEY);
  sessionStorage.removeItem(LOGOUT_KEY);
  if (params.has('state')) history.replaceState(null, '', '/');
  show('out', signedOut ? 'You have signed out.' : '');
}

start().catch((e) => {
  show('out');
  showError(e);
});
