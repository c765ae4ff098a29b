// Issue 18 item 6 / tests: every page of the staff app and the questionnaire at 1366x900 and 390x844,
// in Chromium: no horizontal overflow, no clipped chart or label text (each text's box against its
// container), screenshots in /tmp/lcs-layout-*.png. Also the round page fixes: POST-redirect-GET of
// "create shared link", the notice after creating a round, a repeated address list, and the actual
// close date of a round closed early.
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/seed.js';
import { login, staffHeaders } from '../helpers/auth.js';
import { arrangeRound, DEPARTMENTS } from './arrange.js';
import { hasChromium, LAPTOP, launchBrowser, elementShot, newContext, PHONE, screenshot, SCREENSHOTS, seriousA11yViolations, signIn, startWebServer, type WebServer } from './helpers.js';
import { keyColumnProblems, layoutProblems } from './layout-checks.js';

/** A real PNG of width x height in one colour (a wide logo, so a stretched preview shows). */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x40)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const email = (role: 'consultant' | 'hr' | 'director') => DEMO_LOGINS.find((l) => l.role === role)!.email;

describe.skipIf(!hasChromium)('layout of every page in Chromium', () => {
  let server: WebServer;
  let browser: Browser;
  let orgId: string;
  let closedRoundId: string;
  let openRoundId: string;
  let surveyLink: string;
  /** A visible department of the closed round (its department page is swept too). */
  let departmentKey = '';

  beforeAll(async () => {
    server = await startWebServer({ demo: true });
    orgId = server.demo!.organisationId;
    closedRoundId = (
      await arrangeRound(server.app, server.db, { organisationId: orgId, email: email('consultant'), password: DEMO_PASSWORD, name: 'Lay-out ronde met een vrij lange naam', employees: 30, managers: 5 })
    ).roundId;
    const s = await login(server.app, email('hr'), DEMO_PASSWORD);
    const round = await server.app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${orgId}/rounds`,
      headers: staffHeaders(s),
      payload: { name: 'Open lay-out ronde', modules: ['culture_scan', 'dialogue_model', 'factors'], languages: ['nl', 'en'], departments: DEPARTMENTS, anonymityThreshold: 5, employeePlacements: true },
    });
    openRoundId = round.json().id;
    await server.app.inject({ method: 'POST', url: `/api/v1/rounds/${openRoundId}/open`, headers: staffHeaders(s) });
    await server.app.inject({ method: 'PUT', url: `/api/v1/rounds/${openRoundId}/invitations/settings`, headers: staffHeaders(s), payload: { selfSendLinks: true } });
    const inv = await server.app.inject({
      method: 'POST',
      url: `/api/v1/rounds/${openRoundId}/invitations/personal?form=employee`,
      headers: { ...staffHeaders(s), 'content-type': 'text/csv', accept: 'application/json' },
      payload: 'email\nlayout@example.nl\n',
    });
    surveyLink = (inv.json().invitations[0].link as string).replace(/^https?:\/\/[^/]+/, '');
    const consultancy = await server.db.selectFrom('organisations').select('consultancy_id').where('id', '=', orgId).executeTakeFirstOrThrow();
    await server.db.updateTable('consultancies').set({ logo: png(240, 60), logo_mime: 'image/png' }).where('id', '=', consultancy.consultancy_id).execute();
    const deps = await server.app.inject({ method: 'GET', url: `/api/v1/rounds/${closedRoundId}/departments`, headers: staffHeaders(s) });
    departmentKey = (deps.json() as { departments: Array<{ key: string }> }).departments[0]?.key ?? '';
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const staffPages = () => [
    '/app',
    `/app/organisations/${orgId}`,
    `/app/organisations/${orgId}/users`,
    '/app/organisations/new',
    `/app/organisations/${orgId}/rounds/new`,
    `/app/rounds/${closedRoundId}`,
    `/app/rounds/${closedRoundId}/results`,
    `/app/rounds/${closedRoundId}/checklist`,
    `/app/rounds/${closedRoundId}/dialogue`,
    `/app/rounds/${closedRoundId}/departments`,
    `/app/rounds/${closedRoundId}/departments/view?department=${encodeURIComponent(departmentKey)}`,
    `/app/rounds/${openRoundId}`,
    '/app/branding',
    '/app/benchmarks',
    '/app/outbox',
    '/app/audit',
    '/account/security',
  ];

  async function sweep(page: Page, paths: string[], tag: string) {
    const found: string[] = [];
    for (const path of paths) {
      const res = await page.goto(`${server.url}${path}`);
      expect(res?.status(), path).toBeLessThan(400);
      const name = `layout-${tag}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/-[0-9a-f]{8}-[0-9a-f-]{27}/g, '').replace(/^-|-$/g, '') || 'home'}`;
      await screenshot(page, name);
      // Canvas charts draw their labels where the DOM cannot see them: a picture of each to look at.
      if (SCREENSHOTS) for (const [i, chart] of (await page.locator('.chart-box').all()).entries()) await elementShot(chart, `${name}-chart${i}`);
      for (const p of await layoutProblems(page)) found.push(`${path}: ${p}`);
      for (const p of await keyColumnProblems(page)) found.push(`${path}: ${p}`);
    }
    return found;
  }

  for (const [label, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
    it(`no staff page overflows or clips text at ${viewport.width}x${viewport.height}`, async () => {
      const context = await newContext(browser, viewport, { mobile: viewport === PHONE });
      const page = await context.newPage();
      await signIn(page, server.url, email('consultant'), DEMO_PASSWORD);
      expect(await sweep(page, staffPages(), `staff-${label}`)).toEqual([]);
      await context.close();
    });

    it(`no questionnaire page overflows or clips text at ${viewport.width}x${viewport.height}`, async () => {
      const context = await newContext(browser, viewport, { mobile: viewport === PHONE });
      const page = await context.newPage();
      await page.goto(`${server.url}${surveyLink}`);
      const pages = ['/survey', '/survey/self_direction', '/survey/leadership', '/survey/factors', '/survey/placements', '/survey/background', '/survey/review'];
      expect(await sweep(page, pages, `survey-${label}`)).toEqual([]);
      await context.close();
    });
  }

  it('phone: the key columns of the perspectives, heatmap, trend and response tables stay in view; the quadrant axis labels do not crowd', { timeout: 90_000 }, async () => {
    const context = await newContext(browser, PHONE, { mobile: true });
    const page = await context.newPage();
    await signIn(page, server.url, email('consultant'), DEMO_PASSWORD);
    await page.goto(`${server.url}/app/rounds/${closedRoundId}/results`);
    const keyed = await page.locator('table.key-col').evaluateAll((ts) => ts.map((t) => ({ cls: t.className, rows: t.querySelectorAll('tbody tr').length, wide: t.closest('.table-wrap')!.scrollWidth > t.closest('.table-wrap')!.clientWidth })));
    expect(keyed.map((k) => k.cls)).toEqual(expect.arrayContaining(['perspectives-table key-col', 'heatmap key-col']));
    // The heatmap is wider than the phone: it scrolls inside its frame, the page itself does not.
    expect(keyed.find((k) => k.cls === 'heatmap key-col')).toMatchObject({ wide: true });
    expect(keyed.every((k) => k.rows > 0)).toBe(true);
    expect(await keyColumnProblems(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);
    await page.locator('section#heatmap .table-wrap').evaluate((w) => (w.scrollLeft = w.scrollWidth));
    await elementShot(page.locator('section#heatmap'), 'layout-phone-heatmap-scrolled');
    await page.locator('section#perspectives .table-wrap').evaluate((w) => (w.scrollLeft = w.scrollWidth));
    await elementShot(page.locator('section#perspectives'), 'layout-phone-perspectives-scrolled');
    await elementShot(page.locator('#results-quadrant'), 'layout-phone-results-quadrant');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.goto(`${server.url}/app/rounds/${openRoundId}`);
    expect(await page.locator('table.key-col').count()).toBeGreaterThan(0);
    expect(await keyColumnProblems(page)).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.goto(`${server.url}/app/rounds/${closedRoundId}/dialogue`);
    expect(await page.locator('.quadrant-grid .axis-label').count()).toBe(4);
    expect(await layoutProblems(page)).toEqual([]);
    await elementShot(page.locator('#director-quadrant'), 'layout-phone-dialogue-quadrant');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  for (const [label, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
    it(`the changed pages (round, results, dialogue model) have no serious or critical axe violations at ${label} size`, { timeout: 90_000 }, async () => {
      const context = await newContext(browser, viewport, { mobile: viewport === PHONE });
      const page = await context.newPage();
      await signIn(page, server.url, email('consultant'), DEMO_PASSWORD);
      for (const path of [`/app/rounds/${openRoundId}`, `/app/rounds/${closedRoundId}/results`, `/app/rounds/${closedRoundId}/dialogue`]) {
        await page.goto(`${server.url}${path}`);
        expect(await seriousA11yViolations(page), path).toEqual([]);
      }
      await context.close();
    });
  }

  it('round page: a notice after creating a round; reloading after "create shared link" makes no second link', { timeout: 90_000 }, async () => {
    const context = await newContext(browser, LAPTOP);
    const page = await context.newPage();
    await signIn(page, server.url, email('hr'), DEMO_PASSWORD);
    await page.goto(`${server.url}/app/organisations/${orgId}/rounds/new`);
    await page.fill('#name', 'Notice ronde');
    await Promise.all([page.waitForURL(/created=1/), page.click('form[action$="/rounds"] button[type=submit]')]);
    expect(await page.locator('.notice-ok').textContent()).toContain('De ronde is aangemaakt');
    const roundId = new URL(page.url()).pathname.split('/').pop()!;
    await page.click('form[action$="/open"] button[type=submit]');
    const shared = page.locator('form[action$="/shared-link"] button[type=submit]').first();
    await Promise.all([page.waitForURL(`**/app/rounds/${roundId}`), shared.click()]);
    const count = async () => (await server.db.selectFrom('invitations').select('id').where('round_id', '=', roundId).where('kind', '=', 'shared').execute()).length;
    expect(await count()).toBe(1);
    expect(await page.content()).toMatch(/\/s\/[A-Za-z0-9_-]{43}/);
    await page.reload();
    expect(await count()).toBe(1);
    // Shown once: the reload does not show the link again either.
    expect(await page.content()).not.toMatch(/\/s\/[A-Za-z0-9_-]{43}/);
    await context.close();
  });

  it('round page: the same address list twice says so instead of an empty file; an early close shows its date', { timeout: 90_000 }, async () => {
    const s = await login(server.app, email('hr'), DEMO_PASSWORD);
    const context = await newContext(browser, LAPTOP);
    const page = await context.newPage();
    await signIn(page, server.url, email('hr'), DEMO_PASSWORD);
    await page.goto(`${server.url}/app/rounds/${openRoundId}`);
    const form = page.locator('form[action$="/personal-links"]').first();
    // The list of the questionnaire sweep again: that address already has its link.
    await form.locator('input[type=file]').setInputFiles({ name: 'adressen.csv', mimeType: 'text/csv', buffer: Buffer.from('email\nlayout@example.nl\n') });
    const res = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/personal-links')), form.locator('button[type=submit]').click()]).then(([r]) => r);
    expect(res.status()).toBe(409);
    expect(await page.locator('.notice-error').textContent()).toContain('hadden al een link');
    // Closed early: the page shows the day it closed, with the planned day beside it.
    const planned = new Date(Date.now() + 30 * 86_400_000).toISOString();
    await server.db.updateTable('rounds').set({ closes_at: planned }).where('id', '=', openRoundId).execute();
    await server.app.inject({ method: 'POST', url: `/api/v1/rounds/${openRoundId}/close`, headers: staffHeaders(s) });
    await page.goto(`${server.url}/app/rounds/${openRoundId}`);
    const details = await page.locator('dl.kv').first().textContent();
    expect(details).toContain('Gesloten op');
    expect(details).toContain('gepland:');
    await context.close();
  });
});
