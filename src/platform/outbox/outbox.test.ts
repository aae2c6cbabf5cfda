import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.ts';
import { createTestTown, openTestDatabase, testConfig, type TestTown } from '../../../test/harness.ts';
import { createTestSmtp, eventually, type TestSmtp } from '../../../test/smtp.ts';
import { startJobs, type Jobs, type JobsOptions } from '../jobs.ts';
import { enqueueEmail, getOutboxMessage, listOutbox, type EmailMessage } from './index.ts';
import { EMAIL_QUEUE } from './worker.ts';

const silent = { info() {}, warn() {}, error() {}, debug() {} };
const schema = `pgboss_${Math.random().toString(36).slice(2, 10)}`;

let db: Database;
let town: TestTown;
let other: TestTown;
let jobs: Jobs | null = null;
const servers: TestSmtp[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  town = await createTestTown(db, 'Rimouski');
  other = await createTestTown(db, 'Matane');
});
afterEach(async () => {
  await jobs?.stop();
  jobs = null;
  for (const s of servers.splice(0)) await s.stop();
});
afterAll(() => db.close());

/** Starts the queue for one test, with nothing left over from the previous ones. */
async function start(smtpUrl: string | undefined, options: Partial<JobsOptions> = {}): Promise<Jobs> {
  const config = testConfig(smtpUrl ? { SMTP_URL: smtpUrl } : {});
  // Test files share one PostgreSQL database: each keeps its jobs in a schema of its own, and no
  // automatic sweep reaches into other files' towns.
  jobs = await startJobs({ config, db, logger: silent, options: { schema, work: false, sweepIntervalSeconds: 0, ...options } });
  await jobs.boss.deleteAllJobs(EMAIL_QUEUE);
  return jobs;
}

async function smtp(options: { rejectFirst?: number } = {}): Promise<TestSmtp> {
  const server = await createTestSmtp(options);
  servers.push(server);
  return server;
}

function message(over: Partial<EmailMessage> = {}): EmailMessage {
  return {
    tenantId: town.tenant.id,
    dedupeKey: `test:${Math.random()}`,
    to: 'resident@example.ca',
    locale: 'fr',
    subject: 'Votre demande',
    text: 'Bonjour,\n\nVotre demande est reçue.',
    ...over,
  };
}

async function enqueue(msg: EmailMessage): Promise<string | null> {
  return db.withTenant(msg.tenantId, (trx) => enqueueEmail(trx, msg));
}

async function jobIds(j: Jobs, id: string): Promise<string[]> {
  return (await j.boss.findJobs(EMAIL_QUEUE, { id })).map((job) => job.id);
}

describe('enqueueEmail', () => {
  it('writes the message in the caller’s transaction and its job once it commits, once per dedupe key', async () => {
    const j = await start(undefined);
    const msg = message({ dedupeKey: 'request:42:received' });
    const first = await enqueue(msg);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(await enqueue({ ...msg, subject: 'Another subject' })).toBeNull();
    await j.flush();
    expect(await jobIds(j, first!)).toEqual([first]);
    const page = await listOutbox(db, town.tenant.id, { page: 1, pageSize: 50 });
    expect(page.items.filter((m) => m.dedupeKey === 'request:42:received')).toHaveLength(1);
    const stored = await getOutboxMessage(db, town.tenant.id, first!);
    expect(stored).toMatchObject({ subject: 'Votre demande', status: 'pending', attempts: 0, recipient: 'resident@example.ca' });
    // The same key in another town is another event.
    expect(await enqueue({ ...msg, tenantId: other.tenant.id })).not.toBeNull();
  });

  it('leaves neither outbox row nor job when the transaction rolls back', async () => {
    const j = await start(undefined);
    let id: string | null = null;
    await expect(
      db.withTenant(town.tenant.id, async (trx) => {
        id = await enqueueEmail(trx, message());
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await getOutboxMessage(db, town.tenant.id, id!)).toBeNull();
    await j.flush();
    expect(await jobIds(j, id!)).toEqual([]);
  });

  it('keeps the application role for the rest of the transaction', async () => {
    await start(undefined);
    const role = await db.withTenant(town.tenant.id, async (trx) => {
      await enqueueEmail(trx, message());
      const { rows } = await trx.executeQuery<{ role: string }>({
        sql: 'select current_user as role',
        parameters: [],
        query: { kind: 'RawNode' } as never,
        queryId: { queryId: 'role' },
      });
      return rows[0]?.role;
    });
    expect(role).toBe('guichet_app');
  });
});

describe('delivery', () => {
  it('sends through SMTP and marks the message sent', async () => {
    const server = await smtp();
    await server.start();
    const j = await start(server.url);
    const id = await enqueue(message({ locale: 'en', subject: 'Your request', text: 'Hello,\n\nWe received it.', replyTo: 'clerk@example.ca' }));
    expect(await j.drain()).toBe(1);
    const [mail] = await server.waitFor(1);
    expect(mail!.subject).toBe('Your request');
    expect(mail!.text?.trim()).toBe('Hello,\n\nWe received it.');
    expect(mail!.to).toMatchObject({ text: 'resident@example.ca' });
    expect(mail!.replyTo).toMatchObject({ text: 'clerk@example.ca' });
    expect(mail!.headers.get('content-language')).toBe('en-CA');
    expect(mail!.messageId).toContain(id!);
    const stored = await getOutboxMessage(db, town.tenant.id, id!);
    expect(stored).toMatchObject({ status: 'sent', deliveredVia: 'smtp', attempts: 1, lastError: null });
    expect(stored!.sentAt).toBeInstanceOf(Date);
    // Nothing left to do, and a second pass sends nothing again.
    expect(await j.drain()).toBe(0);
    expect(server.received).toHaveLength(1);
  });

  it('removes the text of a message holding a credential once it is delivered, and only then', async () => {
    const server = await smtp();
    await server.start();
    const j = await start(server.url);
    const secretId = await enqueue(message({ text: 'Votre code : 482913', secret: true }));
    const plainId = await enqueue(message({ text: 'Bonjour' }));
    const before = await getOutboxMessage(db, town.tenant.id, secretId!);
    expect(before).toMatchObject({ bodyText: 'Votre code : 482913', bodyRemovedAt: null });
    expect(await j.drain()).toBe(2);
    const mails = await server.waitFor(2);
    expect(mails.map((m) => m.text?.trim())).toContain('Votre code : 482913');
    const after = await getOutboxMessage(db, town.tenant.id, secretId!);
    expect(after).toMatchObject({ status: 'sent', bodyText: '' });
    expect(after!.bodyRemovedAt).toBeInstanceOf(Date);
    expect(await getOutboxMessage(db, town.tenant.id, plainId!)).toMatchObject({ bodyText: 'Bonjour', bodyRemovedAt: null });
  });

  it('keeps mail in the development mailbox when no SMTP server is set', async () => {
    const j = await start(undefined);
    const id = await enqueue(message());
    expect(await j.drain()).toBe(1);
    expect(await getOutboxMessage(db, town.tenant.id, id!)).toMatchObject({ status: 'sent', deliveredVia: 'devMailbox', attempts: 1 });
  });

  it('marks a message failed after the last attempt, with the reason for staff', async () => {
    const server = await smtp(); // never started: nobody listens
    const j = await start(server.url, { retryLimit: 0, mailerTimeouts: { connectionMs: 2000, greetingMs: 2000, socketMs: 2000 } });
    const id = await enqueue(message());
    expect(await j.drain()).toBe(1);
    const stored = await getOutboxMessage(db, town.tenant.id, id!);
    expect(stored).toMatchObject({ status: 'failed', attempts: 1, sentAt: null });
    expect(stored!.lastError).toMatch(/ECONNECTION|ESOCKET|ECONNREFUSED/);
  });

  it('retries with backoff while SMTP is down and delivers once when it is back', async () => {
    const server = await smtp(); // not listening yet
    const j = await start(server.url, { work: true, retryDelaySeconds: 1, retryLimit: 10, pollingIntervalSeconds: 0.5 });
    const id = (await enqueue(message({ subject: 'Down then up' })))!;
    const afterTwo = await eventually(async () => {
      const m = await getOutboxMessage(db, town.tenant.id, id);
      return m && m.attempts >= 2 ? m : undefined;
    }, 15_000, 'two failed attempts');
    expect(afterTwo.status).toBe('pending');
    expect(afterTwo.lastError).toBeTruthy();
    const [job] = await j.boss.findJobs(EMAIL_QUEUE, { id });
    expect(job).toMatchObject({ retryBackoff: true, retryDelay: 1 });
    // Waiting for its next attempt, or (on a busy machine) already on it.
    expect(['retry', 'active']).toContain(job!.state);
    expect(job!.retryCount).toBeGreaterThanOrEqual(1);
    await server.start();
    const sent = await eventually(async () => {
      const m = await getOutboxMessage(db, town.tenant.id, id);
      return m?.status === 'sent' ? m : undefined;
    }, 20_000, 'delivery after SMTP came back');
    expect(sent.deliveredVia).toBe('smtp');
    // Give a duplicate every chance to show up: there must be none.
    await new Promise((r) => setTimeout(r, 1500));
    expect(server.received.filter((m) => m.subject === 'Down then up')).toHaveLength(1);
    const [done] = await j.boss.findJobs(EMAIL_QUEUE, { id });
    expect(done!.state).toBe('completed');
  });

  it('retries a server that refuses with a temporary error, waiting longer each time', async () => {
    const server = await smtp({ rejectFirst: 2 });
    await server.start();
    await start(server.url, { work: true, retryDelaySeconds: 1, retryLimit: 10, pollingIntervalSeconds: 0.5 });
    const id = (await enqueue(message({ subject: 'Refused twice' })))!;
    await server.waitFor(1, 20_000);
    // The message is marked sent just after the server took it: wait for that too.
    const stored = await eventually(async () => {
      const m = await getOutboxMessage(db, town.tenant.id, id);
      return m?.status === 'sent' ? m : undefined;
    }, 10_000, 'marked sent');
    expect(stored).toMatchObject({ attempts: 3 });
    expect(server.attempts).toHaveLength(3);
    const [a, b, c] = server.attempts as [number, number, number];
    // retryDelay 1 s with exponential backoff: at least a second, then at least two.
    expect(b - a).toBeGreaterThanOrEqual(900);
    expect(c - b).toBeGreaterThanOrEqual(1900);
    await new Promise((r) => setTimeout(r, 1000));
    expect(server.received).toHaveLength(1);
  });

  it('gives a job to a message written while no queue was running (sweep)', async () => {
    const quiet = await createTestTown(db, 'Percé');
    const id = await enqueue(message({ tenantId: quiet.tenant.id, dedupeKey: 'written-without-queue' }));
    const j = await start(undefined);
    expect(await jobIds(j, id!)).toEqual([]);
    expect(await j.sweep([quiet.tenant.id])).toBe(1);
    expect(await jobIds(j, id!)).toEqual([id]);
    // A second sweep does not make a second job.
    await j.sweep([quiet.tenant.id]);
    expect(await jobIds(j, id!)).toEqual([id]);
    await j.drain();
    expect(await getOutboxMessage(db, quiet.tenant.id, id!)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});

describe('reading the outbox', () => {
  it('pages a town’s messages, newest first, and never shows another town’s', async () => {
    await start(undefined);
    const fresh = await createTestTown(db, 'Gaspé');
    for (let i = 1; i <= 5; i++) await enqueue(message({ tenantId: fresh.tenant.id, subject: `Message ${i}` }));
    const first = await listOutbox(db, fresh.tenant.id, { page: 1, pageSize: 2 });
    expect(first).toMatchObject({ page: 1, pageSize: 2, total: 5, pages: 3 });
    expect(first.items.map((m) => m.subject)).toEqual(['Message 5', 'Message 4']);
    const last = await listOutbox(db, fresh.tenant.id, { page: 9, pageSize: 2 });
    expect(last.page).toBe(3);
    expect(last.items.map((m) => m.subject)).toEqual(['Message 1']);
    const mine = first.items[0]!.id;
    const opened = await getOutboxMessage(db, fresh.tenant.id, mine);
    expect(opened).toMatchObject({ subject: 'Message 5', bodyText: 'Bonjour,\n\nVotre demande est reçue.' });
    expect(await getOutboxMessage(db, other.tenant.id, mine)).toBeNull();
    expect(await getOutboxMessage(db, fresh.tenant.id, 'not-a-uuid')).toBeNull();
    const empty = await listOutbox(db, (await createTestTown(db, 'Empty')).tenant.id, { page: 1, pageSize: 20 });
    expect(empty).toMatchObject({ items: [], total: 0, pages: 1, page: 1 });
  });
});
