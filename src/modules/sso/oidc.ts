/**
 * The OpenID Connect client side, on openid-client: discovery (kept for ten minutes per town and
 * client), the authorization URL with PKCE (S256), state and nonce, and the code exchange, which
 * checks the ID token's signature, issuer, audience, expiry and nonce. Plain http issuers are
 * allowed only outside production (a provider run on 127.0.0.1 for development and tests).
 */
import crypto from 'node:crypto';
import * as client from 'openid-client';

export interface ClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

const DISCOVERY_TTL_MS = 10 * 60 * 1000;
const discovered = new Map<string, { at: number; config: Promise<client.Configuration> }>();

function cacheKey(s: ClientSettings): string {
  return crypto.createHash('sha256').update(`${s.issuer}\u0000${s.clientId}\u0000${s.clientSecret}`).digest('hex');
}

/** The discovered provider and this client, from the cache when fresh. */
export function clientConfiguration(settings: ClientSettings, allowHttp: boolean): Promise<client.Configuration> {
  const key = cacheKey(settings);
  const hit = discovered.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const insecure = allowHttp && new URL(settings.issuer).protocol === 'http:';
  const config = client.discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, insecure ? { execute: [client.allowInsecureRequests] } : {});
  discovered.set(key, { at: Date.now(), config });
  // A failed discovery is not kept: the next sign-in tries again.
  config.catch(() => discovered.delete(key));
  return config;
}

export function forgetClient(settings: ClientSettings): void {
  discovered.delete(cacheKey(settings));
}

export interface AuthorizationStart {
  url: string;
  state: string;
  nonce: string;
  verifier: string;
}

export async function startAuthorization(config: client.Configuration, params: { redirectUri: string; scope: string; locale: 'fr' | 'en' }): Promise<AuthorizationStart> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: params.redirectUri,
    scope: params.scope,
    response_type: 'code',
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ui_locales: params.locale === 'fr' ? 'fr-CA fr' : 'en-CA en',
  });
  return { url: url.href, state, nonce, verifier };
}

export type Claims = Record<string, unknown>;

/**
 * Exchanges the code (with the PKCE verifier) and returns the ID token's claims, completed by the
 * UserInfo endpoint's when the provider has one (ID token claims win). Throws when anything does not
 * check out: a wrong state, a tampered or foreign ID token, a wrong nonce, an error from the provider.
 */
export async function finishAuthorization(
  config: client.Configuration,
  callbackUrl: URL,
  checks: { state: string; nonce: string; verifier: string },
): Promise<Claims> {
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: checks.verifier,
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims();
  if (!idClaims) throw new Error('no ID token');
  let userinfo: Claims = {};
  if (tokens.access_token && config.serverMetadata().userinfo_endpoint) {
    userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
  }
  return { ...userinfo, ...idClaims };
}

/** The values of a claim as strings: an array, a single string, or a dotted path (realm_access.roles). */
export function claimValues(claims: Claims, path: string): string[] {
  let value: unknown = claims[path];
  if (value === undefined && path.includes('.')) {
    value = path.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), claims);
  }
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}
