// Browser tests: a real server on 127.0.0.1 (port 0; a browser needs a socket) over a fresh test
// database with the demo data, and headless Chromium driven by playwright-core.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../server/app.js';
import type { DB } from '../../server/db/schema.js';
import { seedDemo, type DemoSummary } from '../../server/demo/seed.js';
import { testConfig } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const PHONE = { width: 390, height: 844 };
export const LAPTOP = { width: 1366, height: 900 };

export interface WebServer {
  app: FastifyInstance;
  db: Kysely<DB>;
  url: string;
  demo: DemoSummary | undefined;
  testDb: TestDatabase;
  close(): Promise<void>;
}

/**
 * Starts the app on a fresh database. With `demo`, the demo data (base + every registered demo step),
 * as `npm start` seeds it on the embedded database: the file starts from the database global-setup.ts
 * seeded once for the run, and seedDemo (then a no-op) gives the summary.
 */
export async function startWebServer(opts: { demo?: boolean } = {}): Promise<WebServer> {
  const testDb = await createTestDatabase({ demo: opts.demo });
  const config = testConfig({ DATABASE_URL: testDb.url, PORT: '0' });
  const app = await buildApp({ config, database: testDb.url ? undefined : testDb.database, migrate: false });
  const demo = opts.demo ? await seedDemo(app.db) : undefined;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    db: testDb.database.db,
    url: `http://127.0.0.1:${port}`,
    demo,
    testDb,
    async close() {
      await app.close();
      await testDb.dispose();
    },
  };
}

let sharedChromium: Promise<Browser> | undefined;

/**
 * Headless Chromium. One browser process per test worker, shared by the files that run in it (the
 * worker is reused from file to file, see vitest.config.ts): a launch costs 1-3 s. Each caller gets
 * its own view of it: the contexts it opens are its own (cookies, storage, downloads are per
 * context, so files share no state), `contexts()` lists those, and `close()` closes them and leaves
 * the browser to the next file; it ends with the worker.
 */
export async function launchBrowser(): Promise<Browser> {
  const launch = () =>
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  let browser = await (sharedChromium ??= launch()).catch(() => undefined);
  if (!browser?.isConnected()) browser = await (sharedChromium = launch());
  const target = browser;
  const mine = new Set<BrowserContext>();
  const own = (context: BrowserContext) => {
    mine.add(context);
    context.once('close', () => mine.delete(context));
    return context;
  };
  return new Proxy(target, {
    get(obj, prop) {
      if (prop === 'newContext') return async (...args: Parameters<Browser['newContext']>) => own(await obj.newContext(...args));
      if (prop === 'newPage') {
        return async (...args: Parameters<Browser['newPage']>) => {
          const page = await obj.newPage(...args);
          own(page.context());
          return page;
        };
      }
      if (prop === 'contexts') return () => [...mine];
      if (prop === 'close') return async () => void (await Promise.all([...mine].map((c) => c.close())));
      const value: unknown = Reflect.get(obj, prop, obj);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
    },
  });
}

export async function newContext(browser: Browser, viewport = LAPTOP, opts: { mobile?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport,
    deviceScaleFactor: opts.mobile ? 2 : 1,
    isMobile: opts.mobile ?? false,
    hasTouch: opts.mobile ?? false,
    acceptDownloads: true,
    locale: 'nl-NL',
  });
}

/** Collects CSP violations and page errors so tests can assert there were none. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

/** Signs in through the sign-in form. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/app')), page.click('form[action="/login"] button[type="submit"] >> nth=0')]);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; html: string }>;
}

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // page.addScriptTag would insert an inline <script>, which our CSP rightly blocks (and reports on the
  // console); evaluating the source through the DevTools protocol is not subject to the page's CSP.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html })) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Screenshots for a person to look at (/tmp/lcs-<name>.png), taken when LCS_SCREENSHOTS=1
 * (`npm run test:screenshots`). They assert nothing, and each PNG costs Chromium 0.2-2 s, so the
 * default run leaves them out.
 */
export const SCREENSHOTS = process.env.LCS_SCREENSHOTS === '1';

export async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: `/tmp/lcs-${name}.png`, fullPage: true });
}

/** A screenshot of one element (see screenshot). */
export async function elementShot(locator: Locator, name: string): Promise<void> {
  if (SCREENSHOTS) await locator.screenshot({ path: `/tmp/lcs-${name}.png` });
}

/**
 * A web server (with the demo data by default) and a Chromium for one describe block: started before
 * its tests, closed after them. Read `server` and `browser` inside the tests (they are set by then).
 */
export function useWebServerAndBrowser(opts: { demo?: boolean } = { demo: true }): { readonly server: WebServer; readonly browser: Browser } {
  const env = {} as { server: WebServer; browser: Browser };
  beforeAll(async () => {
    env.server = await startWebServer(opts);
    env.browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
