/**
 * Reference codes people can read aloud on the phone: 8 characters from an alphabet without the
 * look-alikes 0/O and 1/I, shown as XXXX-XXXX. Contact messages and service requests use them;
 * the caller's unique index decides collisions, and `withFreshReference` draws again when one occurs.
 */
import crypto from 'node:crypto';

/** No 0/O, no 1/I. */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const REFERENCE_LENGTH = 8;

/** A reference as people read or type it: XXXX-XXXX (the dash and case optional, look-alikes forgiven). */
export const REFERENCE = /^([2-9A-HJ-NP-Z]{4})-?([2-9A-HJ-NP-Z]{4})$/;

/** A fresh reference as stored (8 characters, no dash). */
export function newReference(): string {
  let out = '';
  for (let i = 0; i < REFERENCE_LENGTH; i++) out += REFERENCE_ALPHABET[crypto.randomInt(REFERENCE_ALPHABET.length)];
  return out;
}

/** The stored form shown as people read it: "K7M4Q9XA" → "K7M4-Q9XA". */
export function formatReference(stored: string): string {
  return `${stored.slice(0, 4)}-${stored.slice(4)}`;
}

/**
 * The stored form of what someone typed or read out ("k7m4 q9xa", "K7M4-Q9XA"), or null when it
 * cannot be a reference (lower case, spaces and the dash are forgiven).
 */
export function parseReference(input: string): string | null {
  const cleaned = input.trim().toUpperCase().replace(/\s+/g, '');
  const match = REFERENCE.exec(cleaned);
  return match ? `${match[1]}${match[2]}` : null;
}

/**
 * Runs `insert` with fresh references until it returns a row (a collision, about once in a
 * trillion draws per town, makes it return undefined), at most `attempts` times.
 * `insert` must not fail on a collision: use an insert … on conflict do nothing.
 */
export async function withFreshReference<T>(insert: (reference: string) => Promise<T | undefined>, attempts = 5): Promise<T | undefined> {
  for (let i = 0; i < attempts; i++) {
    const row = await insert(newReference());
    if (row !== undefined) return row;
  }
  return undefined;
}
