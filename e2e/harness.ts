/**
 * Browser journeys on the real app: builds it on the test database (test/harness.ts), listens on
 * 127.0.0.1 on a free port, and drives Debian's Chromium (never a downloaded browser) through
 * playwright-core. Chromium resolves every *.guichet.test host to 127.0.0.1, so each page is reached
 * by its town's own host name. axe-core checks every page a journey visits (WCAG 2.0/2.1/2.2 A and
 * AA); a journey fails on any violation, on a page it forgot to check, or on a console error such
 * as a Content-Security-Policy violation. A failing journey leaves a screenshot in e2e/artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page, type Response } from 'playwright-core';
import axe from 'axe-core';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../test/harness.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/** Set E2E_SCREENSHOTS=1 to keep a screenshot of every page checked (for looking at the pages). */
const KEEP_SCREENSHOTS = Boolean(process.env.E2E_SCREENSHOTS);

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-proxy-server',
  // Every town of the test run lives under .guichet.test (test/harness.ts createTestTown).
  '--host-resolver-rules=MAP *.guichet.test 127.0.0.1',
];

export interface E2E {
  t: TestApp;
  town: TestTown;
  port: number;
  browser: Browser;
  /** http://<host>:<port><path>, the town's host unless another is given. */
  url(pathname: string, host?: string): string;
  /** A fresh browser context (its own cookies) and a visitor on one page in it. */
  visitor(options?: BrowserContextOptions & { name?: string }): Promise<Visitor>;
  close(): Promise<void>;
}

export async function startE2E(
  options: {
    townName?: string;
    config?: Record<string, string>;
    /** More Chromium switches, given the town's origin (e.g. to treat it as a secure context). */
    chromiumArgs?: (origin: string) => string[];
  } = {},
): Promise<E2E> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium).`);
  }
  const t = await createTestApp(options.config);
  const town = await createTestTown(t.db, options.townName ?? 'Val-des-Lacs');
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as AddressInfo;
  // Playwright gives each launch a fresh temporary user-data directory and removes it on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: [...CHROMIUM_ARGS, ...(options.chromiumArgs?.(`http://${town.host}:${port}`) ?? [])] });
  const contexts: BrowserContext[] = [];
  const e2e: E2E = {
    t,
    town,
    port,
    browser,
    url: (pathname, host = town.host) => `http://${host}:${port}${pathname}`,
    async visitor(opts = {}) {
      const { name, ...contextOptions } = opts;
      const context = await browser.newContext({ locale: 'fr-CA', ...contextOptions });
      contexts.push(context);
      const page = await context.newPage();
      return new Visitor(page, e2e, name ?? 'visitor', contextOptions.javaScriptEnabled !== false);
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await t.close();
    },
  };
  return e2e;
}

interface Doc {
  url: string;
  checked: boolean;
}

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** A readable report of axe violations: one block per rule, the elements and what to fix. */
export function formatViolations(url: string, violations: AxeViolation[]): string {
  const lines = [`${violations.length} accessibility violation(s) on ${url}:`];
  for (const v of violations) {
    lines.push(`\n- [${v.impact ?? 'n/a'}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes.slice(0, 5)) {
      lines.push(`    at ${node.target.map(String).join(' ')}`);
      lines.push(`       ${node.html.slice(0, 200)}`);
      if (node.failureSummary) lines.push(`       ${node.failureSummary.replace(/\n/g, '\n       ')}`);
    }
    if (v.nodes.length > 5) lines.push(`    ... and ${v.nodes.length - 5} more element(s)`);
  }
  return lines.join('\n');
}

let shotCounter = 0;

/** One person in one browser context. Every document they load must be checked with `check()`. */
export class Visitor {
  private readonly docs: Doc[] = [];
  readonly problems: string[] = [];
  private lastDocument: Response | null = null;
  /** With JavaScript off, axe runs in a twin page (JavaScript on) that is served the very same response. */
  private twin: Page | null = null;

  constructor(
    readonly page: Page,
    readonly e2e: E2E,
    readonly name: string,
    readonly javaScript = true,
  ) {
    page.on('domcontentloaded', () => this.docs.push({ url: page.url(), checked: false }));
    page.on('response', (res) => {
      if (res.request().isNavigationRequest()) {
        if (res.frame() === page.mainFrame()) this.lastDocument = res;
      } else if (res.status() >= 400) {
        this.problems.push(`${res.request().resourceType()} ${res.url()} answered ${res.status()} on ${page.url()}`);
      }
    });
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      // A page's own status (a 404 page is meant to be a 404) is not a problem; a failed
      // stylesheet, script or image is reported by the response listener below.
      if (text.startsWith('Failed to load resource: the server responded with a status of')) return;
      // Chromium ignores Cross-Origin-Opener-Policy on plain http test hosts; production is https.
      if (text.startsWith('The Cross-Origin-Opener-Policy header has been ignored')) return;
      this.problems.push(`console error on ${page.url()}: ${text}`);
    });
    page.on('pageerror', (err) => this.problems.push(`script error on ${page.url()}: ${err.message}`));
  }

  /** Opens a path on the town's host (or another host) and checks the page. */
  async goto(pathname: string, host?: string): Promise<Response> {
    const res = await this.page.goto(this.e2e.url(pathname, host), { waitUntil: 'load' });
    if (!res) throw new Error(`no response for ${pathname}`);
    await this.check();
    return res;
  }

  /** Does something that loads a new document (click a link, submit a form), waits for it, checks it. */
  async navigate(action: () => Promise<unknown>): Promise<Response | null> {
    const [res] = await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), action()]);
    await this.check();
    return res;
  }

  /** Clicks a link or a button that loads a new page, then checks that page. */
  click(target: Locator): Promise<Response | null> {
    return this.navigate(() => target.click());
  }

  /** Runs axe on the current document; throws a readable report on any violation. */
  async check(): Promise<void> {
    await this.page.waitForLoadState('load');
    const url = this.page.url();
    const target = this.javaScript ? this.page : await this.twinOf(url);
    const hasAxe = await target.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
    // Injected through the DevTools protocol, which the page's Content-Security-Policy does not govern.
    if (!hasAxe) await target.evaluate(axe.source);
    const violations = await target.evaluate(async (tags) => {
      const w = window as unknown as {
        axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> };
      };
      const result = await w.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
      }));
    }, AXE_TAGS);
    const last = this.docs.at(-1);
    if (last) last.checked = true;
    if (KEEP_SCREENSHOTS) await this.screenshot(`page-${this.name}`);
    if (violations.length > 0) throw new Error(formatViolations(url, violations));
  }

  /**
   * Chromium runs no timers in a page loaded with JavaScript off, so axe cannot run there. Instead
   * the document the page received is written into a twin page (JavaScript on) on the same origin.
   */
  private async twinOf(url: string): Promise<Page> {
    const doc = this.lastDocument;
    if (!doc || doc.url().split('#')[0] !== url.split('#')[0]) throw new Error(`no document response recorded for ${url}`);
    const html = (await doc.body()).toString('utf8');
    if (!this.twin) {
      const viewport = this.page.viewportSize();
      const context = await this.e2e.browser.newContext(viewport ? { viewport } : {});
      this.twin = await context.newPage();
    }
    await this.twin.goto(new URL('/healthz', url).toString());
    await this.twin.setContent(html, { waitUntil: 'load' });
    if (KEEP_SCREENSHOTS) await this.twin.screenshot({ path: path.join(ARTIFACTS, `twin-${++shotCounter}.png`), fullPage: true });
    return this.twin;
  }

  async close(): Promise<void> {
    if (this.twin) await this.twin.context().close().catch(() => {});
    await this.page.context().close().catch(() => {});
  }

  async screenshot(label: string): Promise<string> {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const safe = label.replace(/[^a-zA-Z0-9_-]+/g, '-').slice(0, 80);
    const file = path.join(ARTIFACTS, `${safe}-${String(++shotCounter).padStart(3, '0')}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /** Fails if a document was loaded but never checked, or if the browser reported an error. */
  assertClean(): void {
    const unchecked = this.docs.filter((d) => !d.checked).map((d) => d.url);
    const problems = [...this.problems];
    if (unchecked.length > 0) problems.push(`pages loaded but not checked with axe: ${unchecked.join(', ')}`);
    if (problems.length > 0) throw new Error(problems.join('\n'));
  }

  /** The element that has keyboard focus, described for assertions. */
  focused(): Promise<{ tag: string; id: string; text: string; href: string | null }> {
    return this.page.evaluate(() => {
      const el = document.activeElement;
      return {
        tag: el?.tagName.toLowerCase() ?? '',
        id: el?.id ?? '',
        text: (el?.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 200),
        href: el?.getAttribute('href') ?? null,
      };
    });
  }

  /** How far the page is wider than the window (0 when nothing scrolls sideways). */
  horizontalOverflow(): Promise<number> {
    return this.page.evaluate(() => {
      const root = document.documentElement;
      return Math.max(root.scrollWidth, document.body.scrollWidth) - root.clientWidth;
    });
  }
}

/**
 * Runs a journey with fresh visitors; on failure saves a screenshot of each visitor's page under
 * e2e/artifacts/ and names it in the error. Checks that every page visited was checked with axe.
 */
export async function journey(
  e2e: E2E,
  name: string,
  body: (open: (options?: BrowserContextOptions & { name?: string }) => Promise<Visitor>) => Promise<void>,
): Promise<void> {
  const visitors: Visitor[] = [];
  const open = async (options?: BrowserContextOptions & { name?: string }) => {
    const v = await e2e.visitor({ ...options, name: `${name}-${options?.name ?? 'visitor'}` });
    visitors.push(v);
    return v;
  };
  try {
    await body(open);
    for (const v of visitors) v.assertClean();
  } catch (err) {
    const shots: string[] = [];
    for (const v of visitors) {
      const file = await v.screenshot(`FAILED-${v.name}`).catch(() => null);
      if (file) shots.push(path.relative(process.cwd(), file));
    }
    if (err instanceof Error && shots.length > 0) err.message += `\n(screenshot: ${shots.join(', ')})`;
    throw err;
  } finally {
    for (const v of visitors) await v.close();
  }
}
