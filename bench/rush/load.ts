/**
 * The rush over HTTP: `clients` browsers at once, each taking the next signed-in resident and
 * booking like a person would: hold a place in a session (the form's POST), then confirm it.
 * A session found full is not tried again by anyone (people see "full" on the page); the phase ends
 * when every session is full, every resident has booked, or the time is up.
 */
import http from 'node:http';

export interface Resident {
  /** "name=value" cookies: the session and the CSRF secret. */
  cookie: string;
  csrf: string;
}

export interface PhaseOptions {
  port: number;
  host: string;
  clients: number;
  sessions: Array<{ slug: string; sessionId: string }>;
  residents: Resident[];
  maxSeconds: number;
}

export interface Latencies {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface PhaseResult {
  clients: number;
  seconds: number;
  bookings: number;
  bookingsPerSecond: number;
  requests: number;
  requestsPerSecond: number;
  /** Refusals because the session had filled up meanwhile: the expected answer on registration day. */
  full: number;
  errors: number;
  errorKinds: Record<string, number>;
  latencyMs: { hold: Latencies; confirm: Latencies; booking: Latencies };
  stoppedBy: 'allFull' | 'residentsDone' | 'time';
}

export function summarize(values: number[]): Latencies {
  if (values.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! * 10) / 10;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: Math.round(sorted[sorted.length - 1]! * 10) / 10 };
}

interface Answer {
  status: number;
  location: string | undefined;
  body: string;
}

export function request(agent: http.Agent, port: number, host: string, method: 'GET' | 'POST', path: string, cookie: string, form?: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = form ? new URLSearchParams(form).toString() : undefined;
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          host,
          cookie,
          ...(payload ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export async function runPhase(o: PhaseOptions): Promise<PhaseResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.clients, maxFreeSockets: o.clients });
  const open = o.sessions.map((_, i) => i);
  const isOpen = new Array<boolean>(o.sessions.length).fill(true);
  const markFull = (i: number) => {
    if (!isOpen[i]) return;
    isOpen[i] = false;
    open.splice(open.indexOf(i), 1);
  };
  const hold: number[] = [];
  const confirm: number[] = [];
  const booking: number[] = [];
  const errorKinds: Record<string, number> = {};
  const error = (kind: string) => {
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };
  let next = 0;
  let bookings = 0;
  let full = 0;
  let requests = 0;
  let lastBooking = 0;
  const started = performance.now();
  const deadline = started + o.maxSeconds * 1000;
  let stoppedBy: PhaseResult['stoppedBy'] = 'residentsDone';

  async function client(): Promise<void> {
    for (;;) {
      if (performance.now() > deadline) {
        stoppedBy = 'time';
        return;
      }
      if (open.length === 0) {
        stoppedBy = 'allFull';
        return;
      }
      const resident = o.residents[next++];
      if (!resident) return;
      // The resident tries sessions until one has a place (or none is left).
      while (open.length > 0 && performance.now() <= deadline) {
        const index = open[Math.floor(Math.random() * open.length)]!;
        const target = o.sessions[index]!;
        const t0 = performance.now();
        let answer: Answer;
        try {
          requests += 1;
          answer = await request(agent, o.port, o.host, 'POST', `/fr/activities/${target.slug}`, resident.cookie, {
            _csrf: resident.csrf,
            _idem: `rush-${next}-${index}-${Math.random().toString(36).slice(2)}-${Date.now()}`,
            session: target.sessionId,
            participant: 'self',
            action: 'hold',
          });
        } catch (err) {
          error(`hold: ${(err as Error).message}`);
          break;
        }
        const t1 = performance.now();
        hold.push(t1 - t0);
        if (answer.status === 409 && answer.body.includes('Il ne reste plus de place')) {
          full += 1;
          markFull(index);
          continue;
        }
        if (answer.status !== 303 || !answer.location?.startsWith('/fr/bookings/')) {
          error(`hold: HTTP ${answer.status}`);
          break;
        }
        let done: Answer;
        try {
          requests += 1;
          done = await request(agent, o.port, o.host, 'POST', `${answer.location}/confirm`, resident.cookie, { _csrf: resident.csrf });
        } catch (err) {
          error(`confirm: ${(err as Error).message}`);
          break;
        }
        const t2 = performance.now();
        confirm.push(t2 - t1);
        if (done.status !== 303) {
          error(`confirm: HTTP ${done.status}`);
          break;
        }
        booking.push(t2 - t0);
        bookings += 1;
        lastBooking = t2;
        break;
      }
    }
  }

  await Promise.all(Array.from({ length: o.clients }, () => client()));
  const ended = performance.now();
  agent.destroy();
  const seconds = ((lastBooking || ended) - started) / 1000;
  const errors = Object.values(errorKinds).reduce((a, b) => a + b, 0);
  return {
    clients: o.clients,
    seconds: Math.round(seconds * 100) / 100,
    bookings,
    bookingsPerSecond: Math.round(bookings / seconds),
    requests,
    requestsPerSecond: Math.round(requests / ((ended - started) / 1000)),
    full,
    errors,
    errorKinds,
    latencyMs: { hold: summarize(hold), confirm: summarize(confirm), booking: summarize(booking) },
    stoppedBy,
  };
}

export interface PageViews {
  views: number;
  seconds: number;
  perSecond: number;
  latencyMs: Latencies;
}

/**
 * `views` residents open the activity page (`concurrency` at once, timed on their own): each gets
 * the CSRF cookie and token of its form. The residents who did not open it borrow one of those
 * pairs: a CSRF secret is not tied to the session, and the server checks every POST the same way.
 */
export async function openPages(
  port: number,
  host: string,
  slug: string,
  cookieName: string,
  tokens: string[],
  views: number,
  concurrency = 50,
): Promise<{ residents: Resident[]; pageViews: PageViews }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const pairs: Array<{ csrfCookie: string; csrf: string }> = [];
  const latencies: number[] = [];
  const count = Math.min(views, tokens.length);
  let next = 0;
  async function worker() {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const t0 = performance.now();
      const res = await new Promise<{ status: number; body: string; setCookie: string[] }>((resolve, reject) => {
        const req = http.request(
          { agent, host: '127.0.0.1', port, path: `/fr/activities/${slug}`, headers: { host, cookie: `${cookieName}=${tokens[i]}` } },
          (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), setCookie: r.headers['set-cookie'] ?? [] }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      latencies.push(performance.now() - t0);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
      const csrfCookie = res.setCookie.map((c) => c.split(';')[0]!).find((c) => /csrf=/.test(c));
      if (res.status !== 200 || !csrf || !csrfCookie) throw new Error(`resident ${i}: the activity page gave no form (HTTP ${res.status}; is the resident signed in?)`);
      pairs[i] = { csrfCookie, csrf };
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const residents = tokens.map((token, i) => {
    const pair = pairs[i % count]!;
    return { cookie: `${cookieName}=${token}; ${pair.csrfCookie}`, csrf: pair.csrf };
  });
  return {
    residents,
    pageViews: { views: count, seconds: Math.round(seconds * 100) / 100, perSecond: Math.round(count / seconds), latencyMs: summarize(latencies) },
  };
}
