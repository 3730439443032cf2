// Keygate interop with Node's openid-client 6: discovery (OIDC and RFC 8414), the code flow
// with PKCE S256, state and nonce, the same pushed first (RFC 9126), signed (RFC 9101) and with
// DPoP-bound tokens (RFC 9449), ID token validation (signature through the JWKS included),
// userinfo, refresh and client credentials, against a running Keygate.
//
// Keygate's login and consent pages are driven over plain HTTP here (no browser); everything
// the OAuth client does is left to the library. Prints a JSON summary on success; exits 1 with
// a message on any failure.
//
// Env: KEYGATE_ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, USERNAME, PASSWORD,
// M2M_CLIENT_ID, M2M_CLIENT_SECRET, JAR_PRIVATE_KEY (PKCS#8, base64url, P-256), JAR_KID;
// M2M_SCOPE optional.

import { createRequire } from 'node:module';
import * as client from 'openid-client';
import { check, env, walkToCallback } from './pages.mjs';

const { version } = createRequire(import.meta.url)('openid-client/package.json');

// The tests' issuer is http://127.0.0.1:PORT: openid-client refuses plain http unless told to.
// enableNonRepudiationChecks makes it verify ID token signatures through the JWKS too (by
// default it relies on TLS for tokens from the token endpoint, OIDC Core 3.1.3.7 step 6).
async function discover(issuer, clientId, clientSecret, algorithm = 'oidc') {
  return client.discovery(
    new URL(issuer),
    clientId,
    undefined,
    client.ClientSecretBasic(clientSecret),
    { algorithm, execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] },
  );
}

// A code request with fresh PKCE S256, state and nonce: its parameters, and the checks the
// library makes on the callback and the ID token.
async function codeRequest(redirectUri, scope) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const parameters = {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  };
  const checks = {
    pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
  };
  return { parameters, checks };
}

// RFC 9126: the library pushes the request to the endpoint discovery names (authenticating as
// at the token endpoint) and builds the authorization URL from client_id and request_uri.
async function pushedFlow(config, issuer, redirectUri) {
  const { parameters, checks } = await codeRequest(redirectUri, 'openid email');
  const url = await client.buildAuthorizationUrlWithPAR(config, parameters);
  const params = [...url.searchParams.keys()].sort();
  check(params.join(' ') === 'client_id request_uri', `pushed URL carries ${params}`);
  const callback = await walkToCallback(
    url.href, issuer, redirectUri, env('USERNAME'), env('PASSWORD'),
  );
  const tokens = await client.authorizationCodeGrant(config, callback, checks);
  return {
    request_uri: url.searchParams.get('request_uri'),
    scope: tokens.scope ?? null,
    sub: tokens.claims()?.sub ?? null,
  };
}

// RFC 9101: the library signs the request as a JWT with the client's private key (ES256, the
// public half registered as the client's jwks), pushes it (RFC 9126) and finishes the flow.
async function signedFlow(config, issuer, redirectUri) {
  const der = Buffer.from(env('JAR_PRIVATE_KEY'), 'base64url');
  const key = await crypto.subtle.importKey(
    'pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'],
  );
  const { parameters, checks } = await codeRequest(redirectUri, 'openid profile');
  const jar = await client.buildAuthorizationUrlWithJAR(config, parameters, { key, kid: env('JAR_KID') });
  check(jar.searchParams.get('request'), 'no request object in the URL');
  const url = await client.buildAuthorizationUrlWithPAR(config, jar.searchParams);
  const callback = await walkToCallback(
    url.href, issuer, redirectUri, env('USERNAME'), env('PASSWORD'),
  );
  const tokens = await client.authorizationCodeGrant(config, callback, checks);
  return { scope: tokens.scope ?? null, request_uri: url.searchParams.get('request_uri') };
}

// RFC 9449: with a DPoP handle the library sends proofs; the access token comes back bound
// (token_type dpop), userinfo is called with the DPoP scheme and a proof, and the refresh
// sends a proof of the same key.
async function dpopFlow(config, issuer, redirectUri) {
  const dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  const { parameters, checks } = await codeRequest(redirectUri, 'openid email offline_access');
  const url = client.buildAuthorizationUrl(config, parameters);
  const callback = await walkToCallback(
    url.href, issuer, redirectUri, env('USERNAME'), env('PASSWORD'),
  );
  const tokens = await client.authorizationCodeGrant(config, callback, checks, undefined, { DPoP: dpop });
  const claims = tokens.claims();
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub, { DPoP: dpop });
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP: dpop });
  return {
    token_type: tokens.token_type,
    userinfo_email: userinfo.email ?? null,
    refreshed_token_type: refreshed.token_type,
  };
}

async function main() {
  const issuer = env('KEYGATE_ISSUER');
  const redirectUri = env('REDIRECT_URI');
  const config = await discover(issuer, env('CLIENT_ID'), env('CLIENT_SECRET'));
  const metadata = config.serverMetadata();
  check(metadata.issuer === issuer, `discovered issuer ${metadata.issuer}, expected ${issuer}`);
  // RFC 8414 §3: the same metadata from /.well-known/oauth-authorization-server.
  const rfc8414 = await discover(issuer, env('CLIENT_ID'), env('CLIENT_SECRET'), 'oauth2');
  check(rfc8414.serverMetadata().issuer === issuer, 'RFC 8414 metadata names another issuer');

  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });

  const callback = await walkToCallback(
    authorizationUrl.href, issuer, redirectUri, env('USERNAME'), env('PASSWORD'),
  );
  // The library checks state and iss (RFC 9207) in the callback, then the ID token: signature
  // through the JWKS, iss, aud, exp, iat, nonce.
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: codeVerifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  check(claims?.sub, 'no ID token claims after the code exchange');
  check(tokens.refresh_token, 'no refresh token for offline_access');

  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  check(userinfo.email, `userinfo has no email: ${JSON.stringify(userinfo)}`);

  // A refreshed ID token is checked against the first one too (OIDC Core §12.2).
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  check(refreshed.access_token, 'no access token from the refresh');
  check(refreshed.refresh_token, 'no refresh token from the refresh');
  check(refreshed.refresh_token !== tokens.refresh_token, 'the refresh token was not rotated');

  const pushed = await pushedFlow(config, issuer, redirectUri);
  const signed = await signedFlow(config, issuer, redirectUri);
  const bound = await dpopFlow(config, issuer, redirectUri);

  const m2m = await discover(issuer, env('M2M_CLIENT_ID'), env('M2M_CLIENT_SECRET'));
  const scope = process.env.M2M_SCOPE;
  const machine = await client.clientCredentialsGrant(m2m, scope ? { scope } : {});
  check(machine.access_token, 'no access token from client credentials');
  check(!machine.refresh_token, 'client credentials must not return a refresh token');

  const summary = {
    library: 'openid-client',
    version,
    issuer: metadata.issuer,
    iss_in_callback: callback.searchParams.get('iss'),
    id_token: { sub: claims.sub, aud: claims.aud, email: claims.email, nonce: claims.nonce },
    userinfo: { sub: userinfo.sub, email: userinfo.email, name: userinfo.name },
    refresh: { rotated: true, id_token: Boolean(refreshed.id_token) },
    client_credentials: { token_type: machine.token_type, scope: machine.scope ?? null },
    par: pushed,
    jar: signed,
    dpop: bound,
  };
  console.log(JSON.stringify(summary));
}

main().catch((error) => {
  const detail = error?.cause ? ` (cause: ${JSON.stringify(error.cause)})` : '';
  console.error(`openid-client interop FAILED: ${error?.stack ?? error}${detail}`);
  process.exit(1);
});
