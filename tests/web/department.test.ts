// Department pages in Chromium (issue 18 item 3): the results page links the departments; the list
// names only the visible departments; a department's page shows it against the organisation with
// honest difference marks; a hidden department's page is the same 404 as an unknown one; a consultant
// makes all department reports in one batch and downloads them. At 1366x900 and 390x844: no
// horizontal overflow or clipped text, and no serious or critical axe violation. Screenshots go to
// /tmp/lcs-department-*.png.
import { describe, expect, it } from 'vitest';
import type { ResultModel } from '../../scans/result-model.js';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/seed.js';
import { login, staffHeaders } from '../helpers/auth.js';
import { arrangeRound } from './arrange.js';
import { elementShot, hasChromium, LAPTOP, newContext, PHONE, screenshot, seriousA11yViolations, signIn, useWebServerAndBrowser, watchConsole } from './helpers.js';
import { layoutProblems } from './layout-checks.js';

const email = (role: 'consultant' | 'hr' | 'director') => DEMO_LOGINS.find((l) => l.role === role)!.email;

describe.skipIf(!hasChromium)('department pages in Chromium', () => {
  const env = useWebServerAndBrowser({ demo: true });
  let roundId = '';
  let visible: string[] = [];
  let hidden: string[] = [];
  /** The demo organisation's name holds department words ("Zorg & Techniek"): left out before looking for names. */
  let orgName = '';
  const without = (text: string | null) => (text ?? '').replaceAll(orgName, '');

  async function arrange() {
    if (roundId) return;
    const { server } = env;
    roundId = (await arrangeRound(server.app, server.db, { organisationId: server.demo!.organisationId, email: email('consultant'), password: DEMO_PASSWORD, name: 'Afdelingsronde', employees: 30, managers: 5 })).roundId;
    const s = await login(server.app, email('hr'), DEMO_PASSWORD);
    const model = (await server.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results`, headers: staffHeaders(s) })).json() as ResultModel;
    const groups = model.segments.find((d) => d.dimension === 'department')!.groups.filter((g) => g.key !== '_not_stated');
    visible = groups.filter((g) => !g.hidden).map((g) => g.key);
    hidden = groups.filter((g) => g.hidden).map((g) => g.key);
    orgName = model.meta.organisation.name;
  }

  it('links from the results page, lists only visible departments and shows one against the organisation', { timeout: 180_000 }, async () => {
    await arrange();
    const { server, browser } = env;
    // The arranged round has a department under k and one hidden by complement (the premise).
    expect(visible.length).toBeGreaterThan(0);
    expect(hidden.length).toBeGreaterThanOrEqual(2);
    for (const [label, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
      const context = await newContext(browser, viewport, { mobile: viewport === PHONE });
      const page = await context.newPage();
      const problems = watchConsole(page);
      await signIn(page, server.url, email('consultant'), DEMO_PASSWORD);
      await page.goto(`${server.url}/app/rounds/${roundId}/results`);
      await Promise.all([page.waitForURL(/\/departments$/), page.click('.results-departments-link a')]);
      const list = without(await page.locator('main').textContent());
      for (const d of visible) expect(list).toContain(d);
      for (const d of hidden) expect(list).not.toContain(d);
      expect(await layoutProblems(page)).toEqual([]);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, `department-list-${label}`);

      await Promise.all([page.waitForURL(/\/departments\/view/), page.locator('a.table-link').first().click()]);
      expect(await page.locator('h1').textContent()).toMatch(/^Afdeling /);
      const rows = page.locator('.dept-compare .dept-mech');
      expect(await rows.count()).toBe(7);
      // Every difference carries its verdict; colour only for a verdict beyond the uncertainty.
      expect(await page.locator('ul.dept-compare [data-verdict]').count()).toBe(7);
      for (const el of await page.locator('ul.dept-compare [data-verdict]').all()) {
        const verdict = await el.getAttribute('data-verdict');
        const cls = (await el.getAttribute('class')) ?? '';
        expect(cls.includes('delta-pos') || cls.includes('delta-neg'), `${verdict} ${cls}`).toBe(verdict === 'higher' || verdict === 'lower');
      }
      const text = without(await page.locator('main').textContent());
      for (const d of hidden) expect(text).not.toContain(d);
      expect(text).toContain('Welch');
      // The page calls itself a page; the PDF calls itself a report.
      expect(await page.locator('.page-head .lead').textContent()).toMatch(/^Deze pagina /);
      expect(await layoutProblems(page)).toEqual([]);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, `department-view-${label}`);
      await elementShot(page.locator('section[aria-labelledby="dept-mechanisms"]'), `department-mechanisms-${label}`);
      expect(problems).toEqual([]);
      await context.close();
    }
    // Viewing a department page is audited like the results it reads (the segment view).
    const seen = await server.db.selectFrom('audit_events').select('detail').where('round_id', '=', roundId).where('action', '=', 'results.view').execute();
    expect(seen.some((e) => e.detail?.startsWith('department:'))).toBe(true);
  });

  it('a hidden department is the same 404 as an unknown one; a batch makes every visible department', { timeout: 180_000 }, async () => {
    await arrange();
    const { server, browser } = env;
    const context = await newContext(browser, LAPTOP);
    const page = await context.newPage();
    await signIn(page, server.url, email('consultant'), DEMO_PASSWORD);
    const statusOf = async (key: string) => (await page.goto(`${server.url}/app/rounds/${roundId}/departments/view?department=${encodeURIComponent(key)}`))?.status();
    for (const key of [...hidden, 'Bestaat Niet']) expect(await statusOf(key), key).toBe(404);
    const unknownBody = await page.locator('main').textContent();
    await statusOf(hidden[0]!);
    expect(await page.locator('main').textContent()).toBe(unknownBody);

    await page.goto(`${server.url}/app/rounds/${roundId}/departments`);
    await page.check('input[name="languages"][value="en"]');
    await Promise.all([page.waitForURL(/\/departments\/batches\//), page.click('form[action$="/batch"] button[type="submit"]')]);
    for (let i = 0; i < 120 && (await page.locator('a[download]').count()) < visible.length * 2; i++) {
      await new Promise((r) => setTimeout(r, 500));
      await page.reload();
    }
    expect(await page.locator('a[download]').count()).toBe(visible.length * 2);
    const table = without(await page.locator('main table').textContent());
    for (const d of visible) expect(table).toContain(d);
    for (const d of hidden) expect(table).not.toContain(d);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);
    await screenshot(page, 'department-batch-laptop');
    const href = await page.locator('a[download]').first().getAttribute('href');
    const res = await page.request.get(`${server.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    await context.close();
  });
});
