/**
 * Password hashing (argon2id) and checking. A check against a missing account runs against a dummy
 * hash, so both take the same time and the answer never tells whether the account exists.
 */
import crypto from 'node:crypto';
import { hash, verify, type Options } from '@node-rs/argon2';

// OWASP's baseline for argon2id: 19 MiB, 2 passes, 1 lane. Algorithm 2 is Argon2id.
const ARGON2: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

let dummyHash: Promise<string> | undefined;
/** A hash of a random password, checked when the account does not exist so the answer takes as long. */
function dummy(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(24).toString('base64url'));
  return dummyHash;
}

/** Computes the dummy hash ahead of the first sign-in, so that one takes no longer than the others. */
export async function prepareSignIn(): Promise<void> {
  await dummy();
}

/**
 * True when the password matches the stored hash. A missing hash (no account, or an account that
 * signs in only through the town's single sign-on) is checked against the dummy and is never a match.
 * Call it outside any transaction: hashing takes tens of milliseconds and must not hold a connection.
 */
export async function checkPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  try {
    const ok = await verify(storedHash ?? (await dummy()), password);
    return ok && Boolean(storedHash);
  } catch {
    return false;
  }
}
