// The side-by-side comparison of issue 15: Chromium (playwright-core, /usr/bin/chromium) printing the
// results dashboard of a round to PDF (page.goto + page.pdf, A4 with backgrounds) against the client
// PDF over HTTP, in the same process and run, alternated so both see the same machine load. The
// dashboard is opened as an HR user of the round's organisation with a session made in the database.
import type { Kysely } from 'kysely';
import { chromium } from 'playwright-core';
import { createSession, SESSION_COOKIE } from '../../server/auth/sessions.js';
import type { DB } from '../../server/db/schema.js';
import { median } from './setup.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ChromiumComparison {
  /** Median of Chromium opening the dashboard and printing it to PDF (warm: after one run). */
  chromiumMs: number;
  chromiumBytes: number;
  /** Median of GET /reports/client.pdf over HTTP in the same loop. */
  httpPdfMs: number;
  /** chromiumMs / httpPdfMs (target >= 4). */
  ratio: number;
  runs: number;
}

export async function compareWithChromium(opts: {
  db: Kysely<DB>;
  base: string;
  organisationId: string;
  roundId: string;
  /** Headers that may download the client PDF (an API token). */
  headers: Record<string, string>;
  runs?: number;
}): Promise<ChromiumComparison> {
  const runs = opts.runs ?? 5;
  const user = await opts.db
    .insertInto('users')
    .values({ email: `bench-hr-${Date.now()}@example.nl`, name: 'Bench HR', password_hash: 'not-a-hash' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await opts.db.insertInto('user_roles').values({ user_id: user.id, role: 'hr', organisation_id: opts.organisationId }).execute();
  const { token } = await createSession(opts.db, user.id);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'nl-NL' });
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: opts.base }]);
    const page = await context.newPage();
    const chrome: number[] = [];
    const http: number[] = [];
    let chromiumBytes = 0;
    for (let i = 0; i <= runs; i++) {
      let t = performance.now();
      const res = await page.goto(`${opts.base}/app/rounds/${opts.roundId}/results`, { waitUntil: 'load' });
      if (res?.status() !== 200) throw new Error(`dashboard: ${res?.status()}`);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      if (i > 0) chrome.push(performance.now() - t);
      chromiumBytes = pdf.byteLength;
      t = performance.now();
      const r = await fetch(`${opts.base}/api/v1/rounds/${opts.roundId}/reports/client.pdf`, { headers: opts.headers });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`client.pdf: ${r.status}`);
      if (i > 0) http.push(performance.now() - t);
    }
    const chromiumMs = median(chrome);
    const httpPdfMs = median(http);
    return { chromiumMs, chromiumBytes, httpPdfMs, ratio: chromiumMs / httpPdfMs, runs };
  } finally {
    await browser.close();
  }
}
