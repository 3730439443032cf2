// Keygate's login and consent pages driven over plain HTTP (no browser), for the interop
// scripts: the OAuth client side is always the library under test.

export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

// A minimal user agent for Keygate's pages: no redirects followed, cookies kept by hand.
export class Agent {
  constructor() {
    this.cookies = new Map();
  }

  async request(url, init = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return response;
  }

  // The absolute Location of a redirect; anything else is an error.
  async redirect(url, init) {
    const response = await this.request(url, init);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || !location) {
      const body = (await response.text()).slice(0, 500);
      throw new Error(`expected a redirect from ${url}, got ${response.status}: ${body}`);
    }
    return new URL(location, url).href;
  }

  // GETs a Keygate form page and POSTs it back with its hidden fields plus `fields`.
  async submit(pageUrl, fields) {
    const page = await this.request(pageUrl);
    const html = await page.text();
    check(page.status === 200, `${pageUrl} answered ${page.status}: ${html.slice(0, 500)}`);
    const form = new URLSearchParams({
      req: htmlAttr(html, 'name="req" value="'),
      csrf: htmlAttr(html, 'name="csrf" value="'),
      ...fields,
    });
    const action = new URL(htmlAttr(html, '<form method="post" action="'), pageUrl).href;
    return this.redirect(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
  }
}

// The attribute value that follows `prefix` in `html`, unescaped.
function htmlAttr(html, prefix) {
  const start = html.indexOf(prefix);
  check(start >= 0, `no ${prefix}...") in the page`);
  const from = start + prefix.length;
  const raw = html.slice(from, html.indexOf('"', from));
  return raw.replace(/&(#x([0-9a-f]+)|#([0-9]+)|amp|lt|gt|quot);/gi, (_, ent, hex, dec) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (dec) return String.fromCodePoint(parseInt(dec, 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"' }[ent.toLowerCase()];
  });
}

// Follows an authorization URL through login (unless `agent` is signed in already) and
// consent (unless remembered) to the client's redirect URI.
export async function walkToCallback(
  authorizationUrl, issuer, redirectUri, username, password, agent = new Agent(),
) {
  let next = await agent.redirect(authorizationUrl);
  if (next.startsWith(`${issuer}/login`)) {
    next = await agent.submit(next, { username, password });
  }
  if (next.startsWith(`${issuer}/consent`)) {
    next = await agent.submit(next, { decision: 'allow' });
  }
  check(next.startsWith(redirectUri), `expected a redirect to ${redirectUri}, got ${next}`);
  return new URL(next);
}
