/**
 * Email transport. With SMTP_URL set, messages go out through nodemailer over SMTP. Without it
 * (development, demos), nothing leaves the machine: the worker marks the message sent with
 * delivered_via = 'devMailbox', and staff read it on the development mailbox page. This is a
 * deliberate, visible choice rather than a silent drop: the page shows every message, and
 * startJobs logs a warning at start when a production process has no SMTP server.
 */
import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';

export interface OutgoingEmail {
  /** The outbox id; also makes the Message-ID, so a message sent again is recognisably the same one. */
  id: string;
  to: string;
  replyTo: string | null;
  locale: 'fr' | 'en';
  subject: string;
  text: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'devMailbox';
  /** Delivers one message; rejects when the SMTP server cannot be reached or refuses it. */
  send(message: OutgoingEmail): Promise<void>;
  close(): void;
}

export interface MailerTimeouts {
  connectionMs: number;
  greetingMs: number;
  socketMs: number;
}

const DEFAULT_TIMEOUTS: MailerTimeouts = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000 };

function domainOf(from: string): string {
  const match = /@([^\s>]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'guichet.localhost';
}

export function createMailer(smtp: Config['smtp'], timeouts: MailerTimeouts = DEFAULT_TIMEOUTS): Mailer {
  if (!smtp.url) {
    return { kind: 'devMailbox', async send() {}, close() {} };
  }
  // Short timeouts keep one attempt well inside the job's expiry, so a hung server never makes
  // pg-boss hand the same job to a second worker while the first is still sending.
  const transport = nodemailer.createTransport({
    url: smtp.url,
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
  });
  const domain = domainOf(smtp.from);
  return {
    kind: 'smtp',
    async send(message) {
      await transport.sendMail({
        from: smtp.from,
        to: message.to,
        replyTo: message.replyTo ?? undefined,
        subject: message.subject,
        text: message.text,
        messageId: `<${message.id}@${domain}>`,
        headers: {
          'Content-Language': message.locale === 'fr' ? 'fr-CA' : 'en-CA',
          // RFC 3834: automatic replies (vacation notices) should not answer this message.
          'Auto-Submitted': 'auto-generated',
        },
      });
    },
    close() {
      transport.close();
    },
  };
}

/** A short description of a send failure for the outbox row and the logs: never the recipient. */
export function describeSendError(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; command?: string };
  const parts = [e.code, e.responseCode ? `SMTP ${e.responseCode}` : undefined, e.command ? `at ${e.command}` : undefined].filter(
    Boolean,
  );
  return parts.length > 0 ? parts.join(' ') : 'send failed';
}

/**
 * The failure as staff see it on the outbox row: the short description and the server's answer.
 * Kept out of the logs, since a server's answer may quote the address.
 */
export function sendErrorDetail(err: unknown): string {
  const e = err as { response?: string; message?: string };
  const answer = (e.response ?? e.message ?? '').replace(/[\r\n]+/g, ' ').trim();
  const detail = answer ? `${describeSendError(err)}: ${answer}` : describeSendError(err);
  return detail.slice(0, 500);
}
