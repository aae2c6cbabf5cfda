/**
 * Secrets kept at rest (TOTP seeds, single sign-on client secrets, PKCE verifiers) are sealed with
 * AES-256-GCM. The key is derived from SESSION_SECRET with HKDF-SHA256, so no new setting is needed;
 * changing SESSION_SECRET makes sealed secrets unreadable (staff then set up their authenticator
 * again and the operator runs `guichet sso set` again). Each sealed value is bound to what it belongs
 * to (its "context", e.g. "totp:<town>:<staff>") as additional authenticated data: a value copied to
 * another row does not open. Format: v1.<iv>.<tag>.<ciphertext>, each part base64url.
 */
import crypto from 'node:crypto';

const VERSION = 'v1';
const INFO = 'guichet/secret-box/v1';
const SALT = 'guichet';

export interface SecretBox {
  seal(plaintext: string, context: string): string;
  /** The plaintext, or null when the value was not sealed with this key and context (or was altered). */
  open(sealed: string, context: string): string | null;
}

const boxes = new Map<string, SecretBox>();

/** The box for a given SESSION_SECRET (derived once per process). */
export function secretBox(sessionSecret: string): SecretBox {
  const cached = boxes.get(sessionSecret);
  if (cached) return cached;
  const key = Buffer.from(crypto.hkdfSync('sha256', sessionSecret, SALT, INFO, 32));
  const box: SecretBox = {
    seal(plaintext, context) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    open(sealed, context) {
      const parts = sealed.split('.');
      if (parts.length !== 4 || parts[0] !== VERSION) return null;
      try {
        const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
        if (iv!.length !== 12 || tag!.length !== 16) return null;
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv!);
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tag!);
        return Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
  boxes.set(sessionSecret, box);
  return box;
}
