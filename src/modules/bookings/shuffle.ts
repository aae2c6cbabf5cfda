/**
 * The lottery's draw, written so that anyone can run it again and get the same result.
 *
 * Algorithm "guichet-shuffle-v1":
 *   1. The entries, by id, sorted in ascending order (plain string order of the lowercase UUIDs).
 *   2. A stream of random bytes from the seed (32 bytes, published as 64 hex digits):
 *      block i = SHA-256(seed bytes || i as a 4-byte big-endian integer), i = 0, 1, 2...
 *      read as consecutive 4-byte big-endian unsigned integers.
 *   3. A Fisher–Yates shuffle: for i from n-1 down to 1, pick j uniformly in [0, i] and swap
 *      entries i and j. j is drawn by rejection: take the next integer x; if
 *      x >= floor(2^32 / (i+1)) * (i+1) take another; j = x mod (i+1).
 *   4. The shuffled list is the order of the draw: the first ones get the places, the rest join
 *      the waitlist in that order.
 *
 * In a shell, with the seed and the sorted ids: the same steps in any language give the same order.
 */
import crypto from 'node:crypto';

export const SHUFFLE_ALGORITHM = 'guichet-shuffle-v1';
const SEED = /^[0-9a-f]{64}$/;

/** A fresh seed: 32 random bytes as 64 lowercase hex digits. */
export function newSeed(): string {
  return crypto.randomBytes(32).toString('hex');
}

function randomStream(seedHex: string) {
  const seed = Buffer.from(seedHex, 'hex');
  let block = Buffer.alloc(0);
  let offset = 0;
  let counter = 0;
  return function nextUint32(): number {
    if (offset + 4 > block.length) {
      const index = Buffer.alloc(4);
      index.writeUInt32BE(counter++);
      block = crypto.createHash('sha256').update(seed).update(index).digest();
      offset = 0;
    }
    const value = block.readUInt32BE(offset);
    offset += 4;
    return value;
  };
}

/** The canonical order of entries before the shuffle. */
export function canonicalOrder(ids: readonly string[]): string[] {
  return [...ids].map((id) => id.toLowerCase()).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Shuffles the entries with the seed: the same seed and entries always give the same order. */
export function seededShuffle(seedHex: string, ids: readonly string[]): string[] {
  if (!SEED.test(seedHex)) throw new Error('the seed must be 64 lowercase hex digits');
  const out = canonicalOrder(ids);
  const next = randomStream(seedHex);
  for (let i = out.length - 1; i > 0; i--) {
    const range = i + 1;
    const limit = Math.floor(0x1_0000_0000 / range) * range;
    let x = next();
    while (x >= limit) x = next();
    const j = x % range;
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
