/** Pass tokens: the layout, the text form, and every way a pass is refused offline. */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publicKeyOf } from './keys.ts';
import { validityOf } from './service.ts';
import { base32Decode, base32Encode, decodePass, groupedText, signPass, TOKEN_CHARS, verifyPass, type PassClaims } from './token.ts';

const town = crypto.randomUUID();
const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
const kid = 'a1b2c3d4';
const keys = new Map([[kid, publicKey]]);
const DAY = 24 * 3_600_000;
const from = new Date('2026-07-14T04:00:00Z');
const claims: PassClaims = {
  kid,
  townId: town,
  bookingId: crypto.randomUUID(),
  sessionId: crypto.randomUUID(),
  validFrom: from,
  validUntil: new Date(from.getTime() + DAY),
};
const noon = new Date('2026-07-14T16:00:00Z');

describe('pass tokens', () => {
  it('round-trips the claims through 200 characters of base32 and holds nothing else', () => {
    const token = signPass(claims, privateKey);
    expect(token).toHaveLength(TOKEN_CHARS);
    expect(token).toMatch(/^[0-9A-HJKMNP-TV-Z]+$/);
    const pass = decodePass(token)!;
    expect(pass).toMatchObject({ kid, townId: town, bookingId: claims.bookingId, sessionId: claims.sessionId, validFrom: from, validUntil: claims.validUntil });
    expect(verifyPass(token, { id: town, keys }, noon)).toMatchObject({ ok: true });
  });

  it('reads the code as people type it: grouped, lower case, dashes, O for 0 and I or L for 1', () => {
    const token = signPass(claims, privateKey);
    const typed = groupedText(token).toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l').replace(/ /g, ' - ');
    expect(verifyPass(typed, { id: town, keys }, noon)).toMatchObject({ ok: true });
    expect(base32Decode(base32Encode(Buffer.from([0, 255, 1, 2, 3])))).toEqual(Uint8Array.from([0, 255, 1, 2, 3]));
  });

  it('refuses a tampered pass, whichever byte changed', () => {
    const bytes = Buffer.from(base32Decode(signPass(claims, privateKey))!);
    for (const at of [22, 40, 55, 60, 100]) {
      const copy = Buffer.from(bytes);
      copy[at] = copy[at]! ^ 1;
      expect(verifyPass(base32Encode(copy), { id: town, keys }, noon)).toMatchObject({ ok: false, problem: 'badSignature' });
    }
    // Stretching the dates needs a new signature: refused too.
    const longer = signPass({ ...claims, validUntil: new Date(from.getTime() + 30 * DAY) }, crypto.generateKeyPairSync('ed25519').privateKey);
    expect(verifyPass(longer, { id: town, keys }, noon)).toMatchObject({ ok: false, problem: 'badSignature' });
  });

  it('refuses an expired pass, a pass for a later day, another town’s pass, an unknown key and garbage', () => {
    const token = signPass(claims, privateKey);
    expect(verifyPass(token, { id: town, keys }, new Date(from.getTime() + DAY))).toMatchObject({ ok: false, problem: 'expired' });
    expect(verifyPass(token, { id: town, keys }, new Date(from.getTime() - 1))).toMatchObject({ ok: false, problem: 'notYet' });
    // Another town, signed with its own key: our town does not know the key and the town differs.
    const other = crypto.generateKeyPairSync('ed25519');
    const foreign = signPass({ ...claims, townId: crypto.randomUUID(), kid: '00000001' }, other.privateKey);
    expect(verifyPass(foreign, { id: town, keys }, noon)).toMatchObject({ ok: false, problem: 'otherTown' });
    // Another town that happens to share the key id and even the key: still another town.
    const sameKey = signPass({ ...claims, townId: crypto.randomUUID() }, privateKey);
    expect(verifyPass(sameKey, { id: town, keys }, noon)).toMatchObject({ ok: false, problem: 'otherTown' });
    expect(verifyPass(signPass({ ...claims, kid: 'ffffffff' }, privateKey), { id: town, keys }, noon)).toMatchObject({ ok: false, problem: 'unknownKey' });
    for (const junk of ['', 'hello', token.slice(0, -1), `${token}00`, 'U'.repeat(200), 'x'.repeat(1000)]) {
      expect(verifyPass(junk, { id: town, keys }, noon)).toMatchObject({ ok: false, problem: 'unreadable' });
    }
  });

  it('verifies with the published key as JWK (what the scanner imports)', () => {
    const x = publicKey.export({ format: 'jwk' }).x!;
    const token = signPass(claims, privateKey);
    expect(verifyPass(token, { id: town, keys: new Map([[kid, publicKeyOf(x)]]) }, noon)).toMatchObject({ ok: true });
  });

  it('is valid over the session’s days in the town’s time zone', () => {
    // 19:00 to 21:00 in Montréal on July 14 is 23:00 to 01:00 UTC: one local day.
    const v = validityOf('America/Toronto', new Date('2026-07-14T23:00:00Z'), new Date('2026-07-15T01:00:00Z'));
    expect(v).toEqual({ validFrom: new Date('2026-07-14T04:00:00Z'), validUntil: new Date('2026-07-15T04:00:00Z') });
    // A day-camp week, Monday to Friday.
    const week = validityOf('America/Toronto', new Date('2026-07-13T13:00:00Z'), new Date('2026-07-17T21:00:00Z'));
    expect(week).toEqual({ validFrom: new Date('2026-07-13T04:00:00Z'), validUntil: new Date('2026-07-18T04:00:00Z') });
    // Ending at midnight sharp does not spill onto the next day.
    const toMidnight = validityOf('America/Toronto', new Date('2026-07-14T22:00:00Z'), new Date('2026-07-15T04:00:00Z'));
    expect(toMidnight.validUntil).toEqual(new Date('2026-07-15T04:00:00Z'));
  });
});
