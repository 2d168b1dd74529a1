// A real OpenID Connect provider for the single sign-on tests: panva/oidc-provider (certified OP library),
// with one confidential client (PKCE required) and a few test people. It stands in for a provincial
// 统一身份认证 platform: the login page checks a password, and the person's record says which factors the
// platform "checked" (the ID token's amr and acr).
//
//   node provider.mjs   (env OIDC_TEST_REDIRECT_URI, optional OIDC_TEST_CLIENT_SECRET, OIDC_TEST_PORT)
//
// It listens on OIDC_TEST_PORT (0: a free port), then prints "READY <issuer>" on stdout.
import http from 'node:http';
import crypto from 'node:crypto';

import Provider from 'oidc-provider';

// Test people of the platform: sub, login name, 工号 (employee_id), password, and what the platform asserts.
const PEOPLE = {
  'wang.mfa': { sub: 'p-1001', employee_id: 'GH1001', name: '王二因', password: 'pw-wang', amr: ['pwd', 'otp'],
    acr: 'urn:example:loa:2' },
  'li.pwd': { sub: 'p-1002', employee_id: 'GH1002', name: '李单因', password: 'pw-li', amr: ['pwd'],
    acr: 'urn:example:loa:1' },
  'zhao.gone': { sub: 'p-1003', employee_id: 'GH1003', name: '赵停用', password: 'pw-zhao', amr: ['pwd', 'otp'],
    acr: 'urn:example:loa:2' },
  'stranger': { sub: 'p-1004', employee_id: 'GH1004', name: '陌生人', password: 'pw-stranger', amr: ['pwd'],
    acr: 'urn:example:loa:1' },
};
const BY_SUB = Object.fromEntries(Object.entries(PEOPLE).map(([login, p]) => [p.sub, { ...p, login }]));

const redirectUri = process.env.OIDC_TEST_REDIRECT_URI;
if (!redirectUri) {
  console.error('OIDC_TEST_REDIRECT_URI is required');
  process.exit(2);
}
const clientSecret = process.env.OIDC_TEST_CLIENT_SECRET || 'nominate-test-secret';

const server = http.createServer();
server.listen(Number(process.env.OIDC_TEST_PORT || 0), '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-1', use: 'sig', alg: 'RS256' };

  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'nominate',
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    acrValues: ['urn:example:loa:1', 'urn:example:loa:2'],
    pkce: { required: () => true }, // the client must send S256 PKCE, or the provider refuses
    // As many platforms do, the ID token always says how the person authenticated (acr, amr, auth_time);
    // profile claims (login name, 工号) come from the userinfo endpoint.
    claims: {
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      profile: ['preferred_username', 'name', 'employee_id'],
      sid: null, iss: null,
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const person = BY_SUB[sub];
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, preferred_username: person.login, name: person.name,
          employee_id: person.employee_id }),
      };
    },
    // A first-party client: the platform grants its scopes without a consent page.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
  });

  const page = (uid, message = '') => `<!doctype html><meta charset="utf-8"><title>统一身份认证（测试）</title>
<h1>统一身份认证平台（测试）</h1>${message ? `<p class="error">${message}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label>用户名 <input name="login"></label> <label>密码 <input name="password" type="password"></label>
<button type="submit">登录</button></form>`;

  const readForm = (req) => new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; if (body.length > 10000) reject(new Error('too long')); });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(body))));
    req.on('error', reject);
  });

  provider.use(async (ctx, next) => {
    const match = ctx.path.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!match) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.prompt.name !== 'login') {
      // consent is granted by loadExistingGrant; anything else ends the interaction as the spec says
      await provider.interactionFinished(ctx.req, ctx.res, { consent: {} }, { mergeWithLastSubmission: true });
      ctx.respond = false;
      return undefined;
    }
    if (ctx.method === 'GET' && !match[2]) {
      ctx.type = 'html';
      ctx.body = page(details.uid);
      return undefined;
    }
    if (ctx.method === 'POST' && match[2]) {
      const form = await readForm(ctx.req);
      const person = PEOPLE[form.login];
      if (!person || person.password !== form.password) {
        ctx.status = 200;
        ctx.type = 'html';
        ctx.body = page(details.uid, '用户名或密码错误');
        return undefined;
      }
      await provider.interactionFinished(ctx.req, ctx.res,
        { login: { accountId: person.sub, amr: person.amr, acr: person.acr, remember: false } },
        { mergeWithLastSubmission: false });
      ctx.respond = false;
      return undefined;
    }
    return next();
  });

  server.on('request', provider.callback());
  process.stdout.write(`READY ${issuer}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
