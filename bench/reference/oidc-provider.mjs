// The reference OpenID Provider for bench.py: Node's widely used `oidc-provider`, configured
// like Keygate's benchmark: a confidential client with client credentials, ES256 JWT access
// tokens for the resource https://api.example/, introspection on, in-memory storage; and for
// the user flows a confidential web client (`CLIENT_ID-web`, same secret) with the code and
// refresh grants, refresh tokens rotated on every use as Keygate does, and the development
// login and consent pages (any login and password sign in). The web client's ID tokens are
// signed with ID_TOKEN_ALG from the environment (default RS256, as OIDC Registration §2 says).
// Usage: [ID_TOKEN_ALG=ES256] node oidc-provider.mjs PORT CLIENT_ID CLIENT_SECRET
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const [port, clientId, clientSecret] = process.argv.slice(2);
const idTokenAlg = process.env.ID_TOKEN_ALG || 'RS256';
const issuer = `http://127.0.0.1:${port}`;
const key = (type, options, alg) => ({
  ...generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' }),
  alg,
  use: 'sig',
  kid: alg,
});

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'read',
  }, {
    client_id: `${clientId}-web`,
    client_secret: clientSecret,
    grant_types: ['authorization_code', 'refresh_token'],
    redirect_uris: ['http://127.0.0.1:9/callback'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: idTokenAlg,
  }],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  findAccount: (ctx, sub) => ({
    accountId: sub,
    claims: () => ({
      sub, email: `${sub}@example.com`, email_verified: true, name: sub, preferred_username: sub,
    }),
  }),
  // Keygate rotates every refresh token; oidc-provider's default rotates only some.
  rotateRefreshToken: () => true,
  jwks: {
    keys: [
      key('rsa', { modulusLength: 2048 }, 'RS256'),
      key('ec', { namedCurve: 'P-256' }, 'ES256'),
    ],
  },
  scopes: ['openid', 'offline_access', 'read'],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // The web client's tokens are for userinfo (no resource), like Keygate's.
      defaultResource: (ctx, client) => (client?.clientId === clientId ? 'https://api.example/' : undefined),
      useGrantedResource: () => true,
      // JWT access tokens are self-contained, so oidc-provider cannot introspect them: the
      // introspection scenario uses an opaque token for https://opaque.example/.
      getResourceServerInfo: (ctx, resource) => ({
        scope: 'read',
        audience: resource,
        accessTokenTTL: 3600,
        ...(resource === 'https://opaque.example/'
          ? { accessTokenFormat: 'opaque' }
          : { accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } }),
      }),
    },
  },
});
provider.listen(Number(port), '127.0.0.1', () => console.log(`oidc-provider on ${issuer}`));
