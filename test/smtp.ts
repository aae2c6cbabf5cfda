/**
 * A real SMTP server for tests (smtp-server), with what it received parsed by mailparser. It can
 * start later on a port chosen beforehand (to play an SMTP server that is down, then back), and
 * can refuse the first messages with a temporary error (to play a server that rejects).
 */
import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface TestSmtp {
  readonly port: number;
  readonly url: string;
  /** Messages accepted, parsed. */
  readonly received: ParsedMail[];
  /** When each message was offered (accepted or refused), in ms since the epoch. */
  readonly attempts: number[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Waits until at least `count` messages were accepted. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
}

/** A free port on 127.0.0.1 (nobody listens on it until start()). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function createTestSmtp(options: { rejectFirst?: number; port?: number } = {}): Promise<TestSmtp> {
  const port = options.port ?? (await freePort());
  const received: ParsedMail[] = [];
  const attempts: number[] = [];
  let toReject = options.rejectFirst ?? 0;
  let server: SMTPServer | null = null;

  function make(): SMTPServer {
    return new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        attempts.push(Date.now());
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (toReject > 0) {
            toReject -= 1;
            callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
            return;
          }
          simpleParser(Buffer.concat(chunks))
            .then((mail) => {
              received.push(mail);
              callback();
            })
            .catch((err: Error) => callback(err));
        });
      },
    });
  }

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    attempts,
    async start() {
      if (server) return;
      server = make();
      const s = server;
      await new Promise<void>((resolve, reject) => {
        s.server.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
    },
    async stop() {
      if (!server) return;
      const s = server;
      server = null;
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} messages, SMTP server received ${received.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return received;
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
