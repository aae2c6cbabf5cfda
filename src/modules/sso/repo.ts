/** Single sign-on: all the SQL of sso_configs and sso_auth_requests. */
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';

export function findConfig(trx: Tx, tenantId: string) {
  return trx
    .selectFrom('sso_configs')
    .select(['issuer', 'client_id', 'client_secret_sealed', 'label', 'scopes', 'role_claim', 'role_map', 'allowed_domains', 'password_sign_in', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export interface ConfigRow {
  issuer: string;
  clientId: string;
  clientSecretSealed: string;
  label: string;
  scopes: string;
  roleClaim: string;
  roleMap: Partial<Record<'agent' | 'manager' | 'admin', string[]>>;
  allowedDomains: string[];
  passwordSignIn: boolean;
}

export async function upsertConfig(trx: Tx, tenantId: string, row: ConfigRow): Promise<void> {
  const values = {
    issuer: row.issuer,
    client_id: row.clientId,
    client_secret_sealed: row.clientSecretSealed,
    label: row.label,
    scopes: row.scopes,
    role_claim: row.roleClaim,
    role_map: JSON.stringify(row.roleMap),
    allowed_domains: JSON.stringify(row.allowedDomains),
    password_sign_in: row.passwordSignIn,
    updated_at: sql<Date>`now()`,
  };
  await trx
    .insertInto('sso_configs')
    .values({ tenant_id: tenantId, ...values })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
    .execute();
}

export async function removeConfig(trx: Tx, tenantId: string): Promise<boolean> {
  const res = await trx.deleteFrom('sso_configs').where('tenant_id', '=', tenantId).executeTakeFirst();
  await trx.deleteFrom('sso_auth_requests').where('tenant_id', '=', tenantId).execute();
  return res.numDeletedRows > 0n;
}

export async function insertAuthRequest(
  trx: Tx,
  tenantId: string,
  row: { stateHash: string; verifierSealed: string; nonce: string; locale: 'fr' | 'en'; nextPath: string | null; ttlSeconds: number },
): Promise<void> {
  // Housekeeping: sign-ins started and never finished.
  await trx.deleteFrom('sso_auth_requests').where('tenant_id', '=', tenantId).where('expires_at', '<=', sql<Date>`now()`).execute();
  await trx
    .insertInto('sso_auth_requests')
    .values({
      tenant_id: tenantId,
      state_hash: row.stateHash,
      verifier_sealed: row.verifierSealed,
      nonce: row.nonce,
      locale: row.locale,
      next_path: row.nextPath,
      expires_at: sql<Date>`now() + make_interval(secs => ${row.ttlSeconds})`,
    })
    .execute();
}

/** Takes (deletes and returns) a live sign-in request: each state works once. */
export async function takeAuthRequest(trx: Tx, tenantId: string, stateHash: string) {
  const row = await trx
    .deleteFrom('sso_auth_requests')
    .where('tenant_id', '=', tenantId)
    .where('state_hash', '=', stateHash)
    .returning(['verifier_sealed', 'nonce', 'locale', 'next_path', sql<boolean>`expires_at > now()`.as('live')])
    .executeTakeFirst();
  return row?.live ? row : undefined;
}

/** The language a sign-in was started in, without taking it (for the page refusing a stray callback). */
export async function localeOfAuthRequest(trx: Tx, tenantId: string, stateHash: string): Promise<'fr' | 'en' | null> {
  const row = await trx.selectFrom('sso_auth_requests').select('locale').where('tenant_id', '=', tenantId).where('state_hash', '=', stateHash).executeTakeFirst();
  return row?.locale ?? null;
}
