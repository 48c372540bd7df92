// oidc-provider test peer for deluge-lang (connections.md §7.2). Loopback only.
//
// Listens on 127.0.0.1 on an ephemeral port, prints `READY <port>` on stdout once serving, and
// exits when its standard input closes (so it never outlives the test process that started it).
// Only the login and consent UI is automated by the tests (over HTTP, through the built-in
// development interactions); every protocol endpoint is oidc-provider's own.
import http from 'node:http';
import Provider from 'oidc-provider';

const accessTtl = Number(process.env.OIDC_ACCESS_TOKEN_TTL || 600);
const shortAccessTtl = Number(process.env.OIDC_SHORT_ACCESS_TOKEN_TTL || 2);
const nativeClient = {
  application_type: 'native',
  response_types: ['code'],
  redirect_uris: ['http://127.0.0.1/cb'],
};
const userGrants = ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'];

const configuration = {
  clients: [
    {
      ...nativeClient,
      client_id: 'conf',
      client_secret: 'conf-secret',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: [...userGrants, 'client_credentials'],
    },
    {
      ...nativeClient,
      client_id: 'post',
      client_secret: 'post-secret',
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: [...userGrants, 'client_credentials'],
    },
    {
      ...nativeClient,
      client_id: 'public',
      token_endpoint_auth_method: 'none',
      grant_types: userGrants,
    },
    {
      // Same as `conf`, but its access tokens expire after OIDC_SHORT_ACCESS_TOKEN_TTL seconds.
      ...nativeClient,
      client_id: 'short',
      client_secret: 'short-secret',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: userGrants,
    },
  ],
  scopes: ['openid', 'offline_access', 'read', 'write'],
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
    revocation: { enabled: true },
    introspection: { enabled: true },
    clientCredentials: { enabled: true },
  },
  pkce: { required: () => true },
  rotateRefreshToken: true,
  // Expire tokens exactly on time so expiry paths can be tested in seconds.
  clockTolerance: 0,
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  ttl: {
    AccessToken: (ctx, token, client) => (client && client.clientId === 'short' ? shortAccessTtl : accessTtl),
    AuthorizationCode: 60,
    ClientCredentials: 60,
    DeviceCode: (ctx, code, client) => (client && client.clientId === 'short' ? 3 : 300),
    RefreshToken: 3600,
    Grant: 3600,
    Interaction: 600,
    Session: 3600,
    IdToken: 3600,
  },
  findAccount: async (ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
  cookies: { keys: ['deluge-lang-test-only-cookie-key'] },
};

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const provider = new Provider(`http://127.0.0.1:${port}`, configuration);
  // One line per successful token request, so tests can count refreshes.
  provider.on('grant.success', (ctx) => {
    process.stdout.write(`EVENT grant.success ${ctx.oidc.params.grant_type} ${ctx.oidc.client.clientId}\n`);
  });
  server.on('request', provider.callback());
  process.stdout.write(`READY ${port}\n`);
});

process.stdin.on('data', () => {});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
