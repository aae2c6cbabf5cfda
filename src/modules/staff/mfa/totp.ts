/**
 * Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 seconds, what every authenticator
 * app reads), the enrolment QR code, and recovery codes. Pure functions: no database here.
 */
import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

export const PERIOD_SECONDS = 30;
export const DIGITS = 6;
/** One step either side of now: a phone clock 30 seconds off still works. */
const WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
/** The alphabet of codes people copy by hand: no 0/O, no 1/I. 32 letters, 5 bits each. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const RECOVERY_LENGTH = 16; // 80 bits: a SHA-256 of it is safe to store.

/** A new random secret (160 bits, as RFC 4226 recommends), in base32. */
export function newSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The secret as people type it into an app: groups of four letters. */
export function formatSecret(base32: string): string {
  return base32.replace(/(.{4})/g, '$1 ').trim();
}

function totp(base32: string, issuer = '', label = ''): TOTP {
  return new TOTP({ issuer, label, secret: Secret.fromBase32(base32), algorithm: 'SHA1', digits: DIGITS, period: PERIOD_SECONDS });
}

/** The otpauth:// address the QR code carries. */
export function otpauthUri(base32: string, issuer: string, label: string): string {
  return totp(base32, issuer, label).toString();
}

/** The QR code of an otpauth:// address as an SVG data URL (the page's CSP allows data: images). */
export async function qrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** The time step a code belongs to (number of 30-second periods since 1970). */
export function stepAt(timestampMs: number): number {
  return Math.floor(timestampMs / 1000 / PERIOD_SECONDS);
}

/** Six digits, spaces allowed ("123 456"); anything else is not a code. */
export function normalizeCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** The time step the code was made for, within one step of now, or null when it matches none. */
export function matchCode(base32: string, code: string, nowMs = Date.now()): number | null {
  const delta = totp(base32).validate({ token: code, timestamp: nowMs, window: WINDOW });
  return delta === null ? null : stepAt(nowMs) + delta;
}

/** The code an app shows at a moment (tests and the test helper use it). */
export function codeAt(base32: string, timestampMs = Date.now()): string {
  return totp(base32).generate({ timestamp: timestampMs });
}

/** Ten new recovery codes as shown to the person: XXXX-XXXX-XXXX-XXXX. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    let raw = '';
    for (let i = 0; i < RECOVERY_LENGTH; i++) raw += ALPHABET[crypto.randomInt(ALPHABET.length)];
    return raw.replace(/(.{4})(?!$)/g, '$1-');
  });
}

/** A typed recovery code in its stored form (capitals, no dashes or spaces), or null if it cannot be one. */
export function normalizeRecoveryCode(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, '');
  return raw.length === RECOVERY_LENGTH && [...raw].every((c) => ALPHABET.includes(c)) ? raw : null;
}

export function hashRecoveryCode(normalized: string): string {
  return crypto.createHash('sha256').update(`guichet-recovery:${normalized}`).digest('hex');
}
