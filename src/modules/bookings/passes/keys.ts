/**
 * Each town's Ed25519 key pair for signing passes (node:crypto). Made the first time a pass is
 * needed; the private key is sealed at rest with the secret box (key derived from SESSION_SECRET,
 * bound to "pass-key:<town>:<kid>"), the public keys are published as a JWK set. Rotation: a new key
 * takes over the signing while the former ones keep verifying the passes they signed (their key id
 * is in every pass).
 */
import crypto from 'node:crypto';
import type { Database, Tx } from '../../../db/database.ts';
import { secretBox } from '../../staff/secret-box.ts';
import * as repo from './repo.ts';

export interface SigningKey {
  kid: string;
  privateKey: crypto.KeyObject;
}

/** A public key as JSON Web Key (RFC 8037), as the scanner's WebCrypto imports it. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

const contextOf = (tenantId: string, kid: string) => `pass-key:${tenantId}:${kid}`;

function newKeyPair(sessionSecret: string, tenantId: string) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const kid = crypto.randomBytes(4).toString('hex');
  const jwk = publicKey.export({ format: 'jwk' });
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');
  return { kid, publicKey: jwk.x!, privateKeySealed: secretBox(sessionSecret).seal(pkcs8, contextOf(tenantId, kid)) };
}

function openPrivateKey(sessionSecret: string, tenantId: string, row: { kid: string; private_key_sealed: string }): crypto.KeyObject {
  const pkcs8 = secretBox(sessionSecret).open(row.private_key_sealed, contextOf(tenantId, row.kid));
  // SESSION_SECRET changed since the key was made: the stored key cannot be opened.
  if (pkcs8 === null) throw new Error(`the pass signing key ${row.kid} cannot be opened (was SESSION_SECRET changed? rotate the key)`);
  return crypto.createPrivateKey({ key: Buffer.from(pkcs8, 'base64url'), format: 'der', type: 'pkcs8' });
}

/** The town's signing key, made on first need (inside the caller's transaction). */
export async function signingKeyIn(trx: Tx, sessionSecret: string, tenantId: string): Promise<SigningKey> {
  let row = await repo.findSigningKey(trx, tenantId);
  if (!row) {
    await repo.insertSigningKey(trx, tenantId, newKeyPair(sessionSecret, tenantId));
    // Another request may have made it first: whichever row is there now signs.
    row = await repo.findSigningKey(trx, tenantId);
    if (!row) throw new Error('no pass signing key after inserting one');
  }
  return { kid: row.kid, privateKey: openPrivateKey(sessionSecret, tenantId, row) };
}

export const publicKeyOf = (x: string): crypto.KeyObject => crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });

export function toJwk(row: { kid: string; public_key: string }): PublicJwk {
  return { kty: 'OKP', crv: 'Ed25519', x: row.public_key, kid: row.kid, alg: 'EdDSA', use: 'sig' };
}

/** The keys that verify the town's passes, by key id (inside the caller's transaction). */
export async function verifyingKeysIn(trx: Tx, tenantId: string): Promise<Map<string, crypto.KeyObject>> {
  const rows = await repo.listVerifyingKeys(trx, tenantId);
  return new Map(rows.map((r) => [r.kid, publicKeyOf(r.public_key)]));
}

/**
 * The town's published key set (JWK Set, RFC 7517). Public by design: anyone may check a pass.
 * Makes the first key if the town has none yet, so a scanner never downloads an empty set.
 */
export async function publicKeySet(db: Database, sessionSecret: string, tenantId: string): Promise<{ keys: PublicJwk[] }> {
  return db.withTenant(tenantId, async (trx) => {
    if (!(await repo.findSigningKey(trx, tenantId))) await signingKeyIn(trx, sessionSecret, tenantId);
    return { keys: (await repo.listVerifyingKeys(trx, tenantId)).map(toJwk) };
  });
}

/**
 * A new key takes over the signing (inside the caller's transaction). Passes signed with the
 * former key still verify. Returns the new key id.
 */
export async function rotateSigningKeyIn(trx: Tx, sessionSecret: string, tenantId: string): Promise<string> {
  await repo.replaceSigningKey(trx, tenantId);
  return (await signingKeyIn(trx, sessionSecret, tenantId)).kid;
}
