/**
 * A real OpenID provider for tests: oidc-provider on 127.0.0.1 (random port) with one confidential
 * client, accounts with email and groups claims, and its development login and consent pages, which
 * `authorize` fills in like a person would (following redirects by hand, keeping cookies). It can
 * also tamper with the ID tokens it issues, to check that the app refuses them.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error oidc-provider publishes no type declarations; the few calls used are typed below.
import ProviderClass from 'oidc-provider';

export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

interface KoaContext {
  path: string;
  body: unknown;
}
interface OidcProvider {
  callback(): http.RequestListener;
  use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
}
const Provider = ProviderClass as new (issuer: string, config: Record<string, unknown>) => OidcProvider;

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** When true, every ID token issued has its payload changed after signing. */
  tamper: boolean;
  /** Signs `accountId` in at the provider from the authorization URL; returns the URL it sends the browser back to. */
  authorize(authorizationUrl: string, accountId: string): Promise<string>;
  close(): Promise<void>;
}

type Jar = Map<string, string>;

function keepCookies(jar: Jar, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
}

const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

export async function startTestProvider(options: { accounts: Record<string, TestAccount>; redirectUris: string[] }): Promise<TestProvider> {
  let handler: http.RequestListener = (_req, res) => res.end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'guichet-test';
  const clientSecret = 'a-client-secret-for-tests-only-0123456789';

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    async findAccount(_ctx: unknown, id: string) {
      const account = options.accounts[id];
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account }) };
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    pkce: { required: () => true },
    cookies: { keys: ['cookie-key-for-tests-only'] },
    // A signing key made for this run (RS256), and set lifetimes (oidc-provider asks for both).
    jwks: { keys: [{ ...crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    features: { devInteractions: { enabled: true } },
    // The development interactions render their own pages; their warnings are expected here.
    renderError(ctx: KoaContext, out: unknown) {
      ctx.body = JSON.stringify(out);
    },
  });

  const state = { tamper: false };
  provider.use(async (ctx, next) => {
    await next();
    if (!state.tamper || ctx.path !== '/token' || !ctx.body || typeof ctx.body !== 'object') return;
    const body = ctx.body as { id_token?: string };
    if (!body.id_token) return;
    // Keep the header and the signature; change what the token says (as an attacker would like to).
    const [header, payload, signature] = body.id_token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims.sub = 'alice';
    claims.groups = ['guichet-admins'];
    body.id_token = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
  });
  handler = provider.callback();

  async function authorize(authorizationUrl: string, accountId: string): Promise<string> {
    const jar: Jar = new Map();
    let url = authorizationUrl;
    let method = 'GET';
    let body: string | undefined;
    for (let hop = 0; hop < 20; hop++) {
      if (!url.startsWith(issuer)) return url; // back to the app
      const res = await fetch(url, {
        method,
        redirect: 'manual',
        headers: { cookie: cookieHeader(jar), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(body ? { body } : {}),
      });
      keepCookies(jar, res);
      if (res.status >= 300 && res.status < 400) {
        url = new URL(res.headers.get('location')!, url).href;
        method = 'GET';
        body = undefined;
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`the provider answered ${res.status} at ${url}: ${html.slice(0, 300)}`);
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([a-z]+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`no login or consent form at ${url}`);
      url = new URL(action.replace(/&amp;/g, '&'), url).href;
      method = 'POST';
      body = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt }).toString();
    }
    throw new Error('too many redirects at the provider');
  }

  return {
    issuer,
    clientId,
    clientSecret,
    get tamper() {
      return state.tamper;
    },
    set tamper(value: boolean) {
      state.tamper = value;
    },
    authorize,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
