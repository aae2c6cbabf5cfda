/** TOTP and recovery codes: RFC 6238's test vector, the one-step window, what counts as a code. */
import { describe, expect, it } from 'vitest';
import { Secret } from 'otpauth';
import { codeAt, matchCode, newRecoveryCodes, newSecret, normalizeCode, normalizeRecoveryCode, otpauthUri, stepAt } from './totp.ts';

// RFC 6238 appendix B: the SHA-1 key "12345678901234567890"; at 59 s the 8-digit code is 94287082.
const RFC_KEY = Secret.fromLatin1('12345678901234567890').base32;

describe('TOTP', () => {
  it('matches RFC 6238 (last 6 digits of the 8-digit test vector)', () => {
    expect(codeAt(RFC_KEY, 59_000)).toBe('287082');
    expect(codeAt(RFC_KEY, 1_111_111_109_000)).toBe('081804');
  });

  it('accepts a code one step either side of now, and says which step it was made for', () => {
    const secret = newSecret();
    const now = 1_700_000_000_000;
    expect(matchCode(secret, codeAt(secret, now), now)).toBe(stepAt(now));
    expect(matchCode(secret, codeAt(secret, now - 30_000), now)).toBe(stepAt(now) - 1);
    expect(matchCode(secret, codeAt(secret, now + 30_000), now)).toBe(stepAt(now) + 1);
    expect(matchCode(secret, codeAt(secret, now - 90_000), now)).toBeNull();
    expect(matchCode(newSecret(), codeAt(secret, now), now)).toBeNull();
  });

  it('reads six digits with spaces or a dash, nothing else', () => {
    expect(normalizeCode('123 456')).toBe('123456');
    expect(normalizeCode(' 123-456 ')).toBe('123456');
    for (const bad of ['12345', '1234567', '12a456', '', '١٢٣٤٥٦']) expect(normalizeCode(bad)).toBeNull();
  });

  it('makes an otpauth address that authenticator apps read', () => {
    const uri = otpauthUri('JBSWY3DPEHPK3PXP', 'Guichet – Ville de Test', 'greffe@test.example');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain('secret=JBSWY3DPEHPK3PXP');
    expect(uri).toContain('digits=6');
    expect(uri).toContain('period=30');
  });
});

describe('recovery codes', () => {
  it('are ten different codes without look-alike letters, read back however they are typed', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/);
      expect(normalizeRecoveryCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code.replace(/-/g, ''));
    }
    expect(normalizeRecoveryCode('ABCD-EFGH-JKLM-NPQ0')).toBeNull();
    expect(normalizeRecoveryCode('ABCD-EFGH-JKLM')).toBeNull();
  });
});
