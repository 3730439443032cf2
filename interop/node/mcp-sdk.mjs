// Keygate with the official MCP TypeScript SDK: `@modelcontextprotocol/sdk` 1.x (MCP_SDK=v1)
// or its successor `@modelcontextprotocol/client` 2.x (MCP_SDK=v2), as an MCP client meets an
// MCP server protected by Keygate. The SDK does everything OAuth: it reads the server's 401,
// discovers Keygate from the RFC 9728 metadata, registers (a Client ID Metadata Document when
// CLIENT_METADATA_URL is set, else dynamic registration), builds the authorization request
// (PKCE S256, `resource`, the scope of the 401), exchanges the code, steps up on a tool's
// `403 insufficient_scope`, and refreshes when the access token has expired.
//
// This script only plays the user: it follows the authorization URL the SDK hands to
// `redirectToAuthorization` through Keygate's login and consent pages and gives the SDK the
// callback. Prints a JSON summary on success; exits 1 with a message on any failure.
//
// Env: MCP_SDK (v1 | v2), MCP_URL, KEYGATE_ISSUER, REDIRECT_URI (loopback), USERNAME,
// PASSWORD, EXPIRY_WAIT_MS (longer than the access token lives); CLIENT_METADATA_URL optional.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, check, env, walkToCallback } from './pages.mjs';

const revision = env('MCP_SDK');
const packageName = { v1: '@modelcontextprotocol/sdk', v2: '@modelcontextprotocol/client' }[revision];
check(packageName, `MCP_SDK is v1 or v2, not ${revision}`);
const { version } = JSON.parse(
  readFileSync(new URL(`./node_modules/${packageName}/package.json`, import.meta.url)),
);

async function loadSdk() {
  if (revision === 'v2') return import('@modelcontextprotocol/client');
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StreamableHTTPClientTransport } = await import(
    '@modelcontextprotocol/sdk/client/streamableHttp.js'
  );
  const { UnauthorizedError } = await import('@modelcontextprotocol/sdk/client/auth.js');
  return { Client, StreamableHTTPClientTransport, UnauthorizedError };
}
const sdk = await loadSdk();

// The SDK's OAuthClientProvider, kept in memory, recording what the SDK asks for.
class Provider {
  constructor(redirectUri, clientMetadataUrl) {
    this.redirectUri = redirectUri;
    if (clientMetadataUrl) this.clientMetadataUrl = clientMetadataUrl;
    this.pending = null; // the authorization URL the SDK wants the user to visit
    this.authorizations = []; // every authorization request the SDK made
    this.tokenResponses = 0; // tokens saved, by code exchange or refresh
    this.client = undefined;
    this.saved = undefined;
    this.verifier = undefined;
    this.expectedState = undefined;
  }

  get redirectUrl() {
    return this.redirectUri;
  }

  get clientMetadata() {
    return {
      client_name: `MCP TypeScript SDK ${revision} interop`,
      redirect_uris: [this.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state() {
    this.expectedState = randomBytes(16).toString('base64url');
    return this.expectedState;
  }

  clientInformation() {
    return this.client;
  }

  saveClientInformation(information) {
    this.client = information;
  }

  tokens() {
    return this.saved;
  }

  saveTokens(tokens) {
    this.saved = tokens;
    this.tokenResponses += 1;
  }

  redirectToAuthorization(url) {
    const u = new URL(url);
    this.pending = u;
    const p = (name) => u.searchParams.get(name);
    this.authorizations.push({
      client_id: p('client_id'), scope: p('scope'), resource: p('resource'),
      code_challenge_method: p('code_challenge_method'), has_state: Boolean(p('state')),
    });
  }

  saveCodeVerifier(verifier) {
    this.verifier = verifier;
  }

  codeVerifier() {
    return this.verifier;
  }

  // What discovery found, kept with the code verifier (2.x checks the callback against it).
  discoveryState() {
    return this.discovery;
  }

  saveDiscoveryState(state) {
    this.discovery = state;
  }

  invalidateCredentials(scope) {
    if (scope === 'all' || scope === 'client') this.client = undefined;
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
    if (scope === 'all' || scope === 'discovery') this.discovery = undefined;
  }
}

// The user's browser: signs in (once; later authorizations reuse Keygate's session) and
// consents, then hands the callback to the SDK as a native app's loopback listener would.
class User {
  constructor(provider) {
    this.provider = provider;
    this.agent = new Agent();
    this.issuer = env('KEYGATE_ISSUER');
  }

  async authorize(transport) {
    const url = this.provider.pending;
    check(url, 'the SDK reported UnauthorizedError without an authorization URL');
    this.provider.pending = null;
    const callback = await walkToCallback(
      url.href, this.issuer, this.provider.redirectUri, env('USERNAME'), env('PASSWORD'), this.agent,
    );
    const params = callback.searchParams;
    check(params.get('state') === this.provider.expectedState, 'state differs in the callback');
    check(params.get('iss') === this.issuer, `callback iss ${params.get('iss')} (RFC 9207)`);
    // 2.x takes the callback's parameters (and checks iss itself); 1.x takes the code.
    await transport.finishAuth(revision === 'v2' ? params : params.get('code'));
  }
}

// A connected MCP client; the first 401 sends the user through Keygate.
async function connect(user) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const transport = new sdk.StreamableHTTPClientTransport(new URL(env('MCP_URL')), {
      authProvider: user.provider,
    });
    const client = new sdk.Client({ name: 'keygate-interop', version: '1.0.0' });
    try {
      await client.connect(transport);
      return { client, transport };
    } catch (error) {
      if (!(error instanceof sdk.UnauthorizedError)) throw error;
      await user.authorize(transport);
    }
  }
  throw new Error('still unauthorized after signing in');
}

// Calls a tool; when the SDK needs the user (step-up, or an expired token it cannot
// refresh) it throws UnauthorizedError after redirectToAuthorization, and the call is retried.
async function callTool(session, user, name, args = {}) {
  const before = user.provider.authorizations.length;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const result = await session.client.callTool({ name, arguments: args });
      check(!result.isError, `${name}: ${JSON.stringify(result)}`);
      return {
        text: result.content?.[0]?.text ?? null,
        authorizations: user.provider.authorizations.length - before,
      };
    } catch (error) {
      if (!(error instanceof sdk.UnauthorizedError)) throw error;
      await user.authorize(session.transport);
    }
  }
  throw new Error(`${name}: still unauthorized after signing in`);
}

async function main() {
  const provider = new Provider(env('REDIRECT_URI'), process.env.CLIENT_METADATA_URL);
  const user = new User(provider);
  const session = await connect(user);
  const first = provider.authorizations[0];
  check(first, 'connecting asked for no authorization');

  const tools = await session.client.listTools();
  const listed = await callTool(session, user, 'list_todos');
  // todo:write was not asked for: the tool's 403 makes the SDK ask the user for it.
  const tokensBeforeStepUp = provider.saved;
  const added = await callTool(session, user, 'add_todo', { title: 'Buy milk' });
  const stepUp = provider.authorizations.at(-1);

  // Past the access token's lifetime the server answers 401: the SDK refreshes if it holds a
  // refresh token, else asks the user again.
  const responsesBefore = provider.tokenResponses;
  const refreshBefore = provider.saved?.refresh_token ?? null;
  await new Promise((resolve) => setTimeout(resolve, Number(env('EXPIRY_WAIT_MS'))));
  const later = await callTool(session, user, 'list_todos');
  await session.client.close();

  console.log(JSON.stringify({
    library: packageName,
    version,
    revision,
    client_id: provider.client?.client_id ?? null,
    registered: provider.clientMetadataUrl ? 'metadata document' : 'dynamic registration',
    first_authorization: first,
    tools: tools.tools.map((t) => t.name),
    listed,
    step_up: {
      had_refresh_token: Boolean(tokensBeforeStepUp?.refresh_token),
      authorization: stepUp,
      added,
    },
    after_expiry: {
      ...later,
      had_refresh_token: Boolean(refreshBefore),
      token_responses: provider.tokenResponses - responsesBefore,
      refresh_token_rotated: Boolean(refreshBefore) && provider.saved?.refresh_token !== refreshBefore,
    },
  }));
}

main().catch((error) => {
  const detail = error?.cause ? ` (cause: ${error.cause?.stack ?? JSON.stringify(error.cause)})` : '';
  console.error(`MCP TypeScript SDK interop FAILED: ${error?.stack ?? error}${detail}`);
  process.exit(1);
});
