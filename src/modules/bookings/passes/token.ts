/**
 * A pass's token: compact, signed, and holding no personal data. Binary layout (version 1):
 *
 *   0      version (1)
 *   1–4    key id (4 bytes; hex in the town's published key set)
 *   5–20   town id (UUID)
 *   21–36  booking id (UUID)
 *   37–52  session id (UUID)
 *   53–56  valid from (unsigned 32-bit Unix seconds: midnight starting the session's first day)
 *   57–60  valid until (unsigned 32-bit Unix seconds: midnight ending the session's last day)
 *   61–124 Ed25519 signature of bytes 0–60
 *
 * As text it is Crockford base32 (digits and capitals without I, L, O, U): 200 characters that a
 * QR code holds in its compact alphanumeric mode, and that a person can type (case, spaces and
 * dashes do not matter; O reads as 0, I and L as 1). The door scanner's JavaScript decodes and checks
 * the very same bytes with WebCrypto (src/web/static/scanner.js).
 */
import crypto from 'node:crypto';

export const TOKEN_VERSION = 1;
const SIGNED_LENGTH = 61;
const SIGNATURE_LENGTH = 64;
export const TOKEN_BYTES = SIGNED_LENGTH + SIGNATURE_LENGTH;
/** Characters of the text form. */
export const TOKEN_CHARS = Math.ceil((TOKEN_BYTES * 8) / 5);

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decodes Crockford base32, forgiving case, spaces, dashes and look-alikes; null on anything else. */
export function base32Decode(text: string): Uint8Array | null {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    buffer = (buffer << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 255);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return Uint8Array.from(out);
}

/** Groups of five characters for people to read and type. */
export function groupedText(token: string): string {
  return token.match(/.{1,5}/g)?.join(' ') ?? token;
}

export interface PassClaims {
  kid: string;
  townId: string;
  bookingId: string;
  sessionId: string;
  validFrom: Date;
  validUntil: Date;
}

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidOf = (b: Uint8Array) => {
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function signedPart(c: PassClaims): Buffer {
  if (!/^[0-9a-f]{8}$/.test(c.kid)) throw new Error('a key id is 8 hex digits');
  for (const id of [c.townId, c.bookingId, c.sessionId]) if (!UUID.test(id)) throw new Error(`not a lowercase UUID: ${id}`);
  const out = Buffer.alloc(SIGNED_LENGTH);
  out[0] = TOKEN_VERSION;
  Buffer.from(c.kid, 'hex').copy(out, 1);
  uuidBytes(c.townId).copy(out, 5);
  uuidBytes(c.bookingId).copy(out, 21);
  uuidBytes(c.sessionId).copy(out, 37);
  out.writeUInt32BE(Math.floor(c.validFrom.getTime() / 1000), 53);
  out.writeUInt32BE(Math.floor(c.validUntil.getTime() / 1000), 57);
  return out;
}

/** Signs the claims with the town's private key; returns the token's text. */
export function signPass(claims: PassClaims, privateKey: crypto.KeyObject): string {
  const body = signedPart(claims);
  const signature = crypto.sign(null, body, privateKey);
  return base32Encode(Buffer.concat([body, signature]));
}

/** What a token says, before anyone checked the signature. */
export interface DecodedPass extends PassClaims {
  signed: Uint8Array;
  signature: Uint8Array;
}

/** Reads a token's text; null when it is not a version-1 pass at all (wrong length, characters, version). */
export function decodePass(text: string): DecodedPass | null {
  if (text.length > 400) return null;
  const bytes = base32Decode(text);
  if (!bytes || bytes.length !== TOKEN_BYTES || bytes[0] !== TOKEN_VERSION) return null;
  const b = Buffer.from(bytes);
  return {
    kid: b.subarray(1, 5).toString('hex'),
    townId: uuidOf(b.subarray(5, 21)),
    bookingId: uuidOf(b.subarray(21, 37)),
    sessionId: uuidOf(b.subarray(37, 53)),
    validFrom: new Date(b.readUInt32BE(53) * 1000),
    validUntil: new Date(b.readUInt32BE(57) * 1000),
    signed: b.subarray(0, SIGNED_LENGTH),
    signature: b.subarray(SIGNED_LENGTH),
  };
}

/** Why a pass is refused, in the order the checks run. */
export type PassProblem = 'unreadable' | 'unknownKey' | 'badSignature' | 'otherTown' | 'notYet' | 'expired';

export type PassCheck = { ok: true; pass: DecodedPass } | { ok: false; problem: PassProblem; pass?: DecodedPass };

/**
 * Checks a token offline: readable, signed by one of the town's keys (by key id), for this town,
 * valid at `now`. The booking itself (still confirmed? this session?) is the caller's online check.
 */
export function verifyPass(text: string, town: { id: string; keys: ReadonlyMap<string, crypto.KeyObject> }, now: Date): PassCheck {
  const pass = decodePass(text);
  if (!pass) return { ok: false, problem: 'unreadable' };
  const key = town.keys.get(pass.kid);
  if (!key) return { ok: false, problem: pass.townId === town.id ? 'unknownKey' : 'otherTown', pass };
  if (!crypto.verify(null, pass.signed, key, pass.signature)) return { ok: false, problem: 'badSignature', pass };
  if (pass.townId !== town.id) return { ok: false, problem: 'otherTown', pass };
  if (now.getTime() < pass.validFrom.getTime()) return { ok: false, problem: 'notYet', pass };
  if (now.getTime() >= pass.validUntil.getTime()) return { ok: false, problem: 'expired', pass };
  return { ok: true, pass };
}
