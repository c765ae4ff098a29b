// End-to-end tests in headless Chromium against a real server on the demo database: a respondent on a
// phone, HR running a round, a director placing the organisation, a consultant downloading a report,
// and an accessibility scan (axe-core) of the questionnaire and the dashboard. Screenshots of each
// main page on phone and laptop sizes go to /tmp/lcs-e2e-*.png.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCultureScan } from '../../scans/instruments/registry.js';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/seed.js';
import { login, staffHeaders } from '../helpers/auth.js';
import { arrangeRound, DEPARTMENTS } from './arrange.js';
import { hasChromium, LAPTOP, launchBrowser, newContext, PHONE, screenshot, seriousA11yViolations, signIn, startWebServer, watchConsole, type WebServer } from './helpers.js';

const email = (role: 'consultant' | 'hr' | 'director') => DEMO_LOGINS.find((l) => l.role === role)!.email;

describe.skipIf(!hasChromium)('web app in Chromium', () => {
  let server: WebServer;
  let browser: Browser;
  let orgId: string;
  let closedRoundId: string;

  beforeAll(async () => {
    server = await startWebServer({ demo: true });
    orgId = server.demo!.organisationId;
    const points = (dx: number) => ({ past: { x: -60 + dx, y: -50 }, current: { x: -30 + dx, y: -20 }, desired: { x: 40 + dx, y: 50 } });
    closedRoundId = (
      await arrangeRound(server.app, server.db, {
        organisationId: orgId,
        email: email('consultant'),
        password: DEMO_PASSWORD,
        name: 'E2E afgesloten ronde',
        employees: 30,
        managers: 5,
        placers: [{ email: email('hr'), password: DEMO_PASSWORD, points: points(10) }],
      })
    ).roundId;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A link from the API as it would arrive by mail, pointed at the test server. */
  const local = (link: string) => link.replace(/^https?:\/\/[^/]+/, server.url);

  async function openRoundWithPersonalLink(modules: string[] = ['culture_scan']) {
    const s = await login(server.app, email('hr'), DEMO_PASSWORD);
    const round = await server.app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${orgId}/rounds`,
      headers: staffHeaders(s),
      payload: { name: `Respondent ${Date.now()}`, modules, languages: ['nl', 'en'], departments: DEPARTMENTS, anonymityThreshold: 5 },
    });
    const roundId = round.json().id as string;
    await server.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/open`, headers: staffHeaders(s) });
    // A round that sends its own links (mail merge), so the upload answers with them.
    await server.app.inject({ method: 'PUT', url: `/api/v1/rounds/${roundId}/invitations/settings`, headers: staffHeaders(s), payload: { selfSendLinks: true } });
    const inv = await server.app.inject({
      method: 'POST',
      url: `/api/v1/rounds/${roundId}/invitations/personal?form=employee`,
      headers: { ...staffHeaders(s), 'content-type': 'text/csv', accept: 'application/json' },
      payload: 'email\nmedewerker@example.nl\n',
    });
    expect(inv.statusCode).toBe(201);
    return { roundId, link: local(inv.json().invitations[0].link as string), token: inv.json().invitations[0].token as string };
  }

  async function answerPage(page: Page, pick: (i: number) => string) {
    const names = await page.$$eval('fieldset.question input[type=radio]', (els) => [...new Set(els.map((e) => (e as HTMLInputElement).name))]);
    for (const [i, name] of names.entries()) {
      // Tap the visible label, as a person would (the radio itself is visually hidden).
      await page.locator(`label.choice:has(input[name="${name}"][value="${pick(i)}"])`).click();
    }
    return names;
  }

  it('a respondent completes the questionnaire on a phone, resuming after a reload', async () => {
    const { roundId, link, token } = await openRoundWithPersonalLink();
    const context = await newContext(browser, PHONE, { mobile: true });
    const page = await context.newPage();
    const problems = watchConsole(page);

    await page.goto(link);
    // The token left the address bar: it lives in an HttpOnly cookie scoped to /survey.
    expect(new URL(page.url()).pathname).toBe('/survey');
    expect(page.url()).not.toContain(token);
    const cookie = (await context.cookies()).find((c) => c.name === 'lcs_survey');
    expect(cookie).toMatchObject({ httpOnly: true, path: '/survey', value: token });
    await screenshot(page, 'e2e-survey-intro-phone');

    await page.locator('label.choice:has(input[name="language"][value="nl"])').click();
    await Promise.all([page.waitForURL('**/survey/self_direction'), page.click('button[value="next"]')]);
    expect(await page.locator('progress').count()).toBe(1);

    // Three answers, saved in the background by the client script.
    await page.locator('label.choice:has(input[name="a.sd1"][value="4"])').click();
    await page.locator('label.choice:has(input[name="a.sd2"][value="5"])').click();
    await page.locator('label.choice:has(input[name="a.sd3"][value="dk"])').click();
    await page.waitForFunction(() => document.querySelector('[data-autosave-status]')?.textContent === 'Antwoorden opgeslagen');
    await screenshot(page, 'e2e-survey-mechanism-phone');

    await page.reload();
    expect(await page.isChecked('input[name="a.sd1"][value="4"]')).toBe(true);
    expect(await page.isChecked('input[name="a.sd2"][value="5"]')).toBe(true);
    expect(await page.isChecked('input[name="a.sd3"][value="dk"]')).toBe(true);

    // Opening the link again continues at the first page with an unanswered statement.
    await page.goto(link);
    await page.waitForURL('**/survey/self_direction');

    let pages = 0;
    while (new URL(page.url()).pathname !== '/survey/background') {
      await answerPage(page, (i) => String((i % 5) + 1));
      await Promise.all([page.waitForNavigation(), page.click('button[value="next"]')]);
      pages += 1;
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(7);
    // Background questions are visibly optional.
    expect((await page.locator('h1 .badge-optional').first().textContent())?.trim()).toBe('optioneel');
    await page.locator('label.choice:has(input[name="b.department"][value="Zorg"])').click();
    await screenshot(page, 'e2e-survey-background-phone');
    await Promise.all([page.waitForURL('**/survey/review'), page.click('button[value="next"]')]);
    expect(await page.locator('#submit-blocked').count()).toBe(0);
    await Promise.all([page.waitForLoadState('load'), page.click('button[value="submit"]')]);
    expect((await page.locator('h1').first().textContent())?.trim()).toBe('Hartelijk dank!');
    await screenshot(page, 'e2e-survey-thanks-phone');

    // Submitted once: reloading shows the thank-you again and nothing can change any more.
    await page.goto(`${server.url}/survey`);
    expect((await page.locator('h1').first().textContent())?.trim()).toBe('Hartelijk dank!');
    const responses = await server.db.selectFrom('responses').select(['status', 'department']).where('round_id', '=', roundId).execute();
    expect(responses).toEqual([{ status: 'submitted', department: 'Zorg' }]);
    const answers = await server.db.selectFrom('answers').innerJoin('responses', 'responses.id', 'answers.response_id').select(['item_id', 'value']).where('responses.round_id', '=', roundId).execute();
    // A new round asks the current questionnaire (version 2, 45 statements): every statement answered.
    const { instrument_id } = await server.db.selectFrom('rounds').select('instrument_id').where('id', '=', roundId).executeTakeFirstOrThrow();
    expect(instrument_id).toBe('culture-scan@2');
    expect(answers).toHaveLength(getCultureScan(instrument_id)!.scales.flatMap((sc) => sc.items).length);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the questionnaire has no serious or critical accessibility violations (axe-core)', async () => {
    const { link } = await openRoundWithPersonalLink(['culture_scan', 'dialogue_model']);
    for (const viewport of [PHONE, LAPTOP]) {
      const context = await newContext(browser, viewport, { mobile: viewport === PHONE });
      const page = await context.newPage();
      await page.goto(link);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await Promise.all([page.waitForURL('**/survey/self_direction'), page.click('button[value="next"]')]);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.goto(`${server.url}/survey/background`);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, `e2e-survey-background-${viewport === PHONE ? 'phone' : 'laptop'}`);
      await page.goto(`${server.url}/survey/self_direction`);
      await screenshot(page, `e2e-survey-mechanism-${viewport === PHONE ? 'phone' : 'laptop'}`);
      await context.close();
    }
  });

  it('HR creates a round, invites by CSV and link, and follows the response rates', async () => {
    const context = await newContext(browser, LAPTOP);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await signIn(page, server.url, email('hr'), DEMO_PASSWORD);
    // One organisation: HR lands on it directly.
    await page.waitForURL(`**/app/organisations/${orgId}`);
    await screenshot(page, 'e2e-organisation-laptop');
    await page.click('a:has-text("Nieuwe scanronde")');
    await page.fill('#name', 'Voorjaarsscan E2E');
    await page.uncheck('input[name="modules"][value="dialogue_model"]');
    await page.fill('#departments', 'Zorg\nTechniek\nStaf');
    await page.fill('#anonymityThreshold', '5');
    await page.fill('#closesAt', '2099-06-30');
    await screenshot(page, 'e2e-new-round-laptop');
    await Promise.all([page.waitForURL('**/app/rounds/*'), page.click('button:has-text("Ronde aanmaken")')]);
    const roundId = new URL(page.url()).pathname.split('/')[3]!;
    const round = await server.db.selectFrom('rounds').selectAll().where('id', '=', roundId).executeTakeFirstOrThrow();
    expect(round).toMatchObject({ name: 'Voorjaarsscan E2E', status: 'draft', departments: ['Zorg', 'Techniek', 'Staf'], anonymity_threshold: 5 });
    expect(round.modules).toEqual(['culture_scan', 'sme_checklist']);

    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Ronde openen")')]);
    expect(await page.locator('h1 .badge-open').count()).toBe(1);

    // Shared link, shown once, with a copy button.
    await page.fill('#maxResponses', '100');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Gedeelde link maken")')]);
    const shared = await page.inputValue('#shared-link');
    expect(shared).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    expect(await page.locator('[data-copy-target="shared-link"]').isVisible()).toBe(true);

    // Personal links for a mail merge: only after the explicit choice "we send the links ourselves"
    // (by default the platform mails them: tests/web/invitations.test.ts).
    await page.click('summary:has-text("Wij versturen de links zelf")');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Links zelf versturen")')]);
    expect(await page.locator('.notice-info').first().textContent()).toContain('mail merge');
    await page.setInputFiles('#csv', { name: 'emails.csv', mimeType: 'text/csv', buffer: Buffer.from('email,department\nanna@example.nl,Zorg\nbram@example.nl,Techniek\n') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Links maken en downloaden")')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^anna@example\.nl,Zorg,employee,https?:\/\/[^,]+\/s\/[A-Za-z0-9_-]{43}$/);

    // Response rates refresh by themselves while a respondent answers through a personal link.
    await page.goto(`${server.url}/app/rounds/${roundId}?refresh=2`);
    expect((await page.locator('[data-testid="submitted-total"]').first().textContent())?.trim()).toBe('0');
    await screenshot(page, 'e2e-round-laptop');
    const token = lines[1]!.split('/s/')[1]!;
    const items = (await server.app.inject({ method: 'GET', url: `/api/v1/survey/${token}` })).json().pages.flatMap((p: { kind: string; items?: Array<{ id: string }> }) => p.items ?? []);
    const put = await server.app.inject({ method: 'PUT', url: `/api/v1/survey/${token}/answers`, payload: { answers: Object.fromEntries(items.map((i: { id: string }) => [i.id, 4])) } });
    expect(put.statusCode).toBe(200);
    const submit = await server.app.inject({ method: 'POST', url: `/api/v1/survey/${token}/submit`, headers: { 'idempotency-key': 'e2e-1' }, payload: {} });
    expect(submit.statusCode).toBe(200);
    // One submission is a count under k: the refreshed table withholds it ("verborgen") instead of showing 1.
    await page.waitForFunction(() => document.querySelector('[data-testid="submitted-total"]')?.textContent?.trim() === 'verborgen', undefined, { timeout: 20_000 });

    // Close the round (after confirming).
    page.once('dialog', (d) => void d.accept());
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Ronde sluiten")')]);
    expect(await page.locator('h1 .badge-closed').count()).toBe(1);
    expect((await server.db.selectFrom('rounds').select('status').where('id', '=', roundId).executeTakeFirstOrThrow()).status).toBe('closed');
    expect(problems).toEqual([]);

    const phone = await newContext(browser, PHONE, { mobile: true });
    const p2 = await phone.newPage();
    await signIn(p2, server.url, email('hr'), DEMO_PASSWORD);
    await p2.goto(`${server.url}/app/rounds/${roundId}`);
    await screenshot(p2, 'e2e-round-phone');
    await phone.close();
    await context.close();
  });

  it('a director places past, current and desired on the quadrant by clicking and dragging', async () => {
    const { roundId } = await arrangeRound(server.app, server.db, {
      organisationId: orgId,
      email: email('hr'),
      password: DEMO_PASSWORD,
      name: 'E2E dialoogmodel',
      employees: 12,
      managers: 0,
      close: false,
      placers: [{ email: email('hr'), password: DEMO_PASSWORD, points: { past: { x: -50, y: -50 }, current: { x: -20, y: -10 }, desired: { x: 30, y: 60 } } }],
    });
    const context = await newContext(browser, LAPTOP);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await signIn(page, server.url, email('director'), DEMO_PASSWORD);
    await page.goto(`${server.url}/app/rounds/${roundId}/dialogue`);
    // HR's placement is drawn beside the director's own points while the round is open; the employees'
    // mean only once the round is closed (the result model applies the anonymity threshold).
    expect(await page.locator('.marker-group[data-key="hr-current"]').count()).toBe(1);
    expect(await page.locator('.marker-group[data-key="employee-desired"]').count()).toBe(0);

    const svg = page.locator('svg[data-quadrant-editable]');
    const box = (await svg.boundingBox())!;
    // viewBox -4..404: a point (x, y) in -100..100 sits at ((x + 100) / 200 * 400 + 4) / 408 of the box.
    const at = (x: number, y: number) => ({ x: box.x + (((x + 100) / 200) * 400 + 4) * (box.width / 408), y: box.y + (((y + 100) / 200) * 400 + 4) * (box.height / 408) });
    // Past: organisation focus, reactive (defensive). The active frame moves on after each point.
    let p = at(-60, -60);
    await page.mouse.click(p.x, p.y);
    p = at(40, -40);
    await page.mouse.click(p.x, p.y);
    p = at(50, 50);
    await page.mouse.click(p.x, p.y);
    // Drag the current point further to the right.
    const from = at(40, -40);
    const to = at(70, -40);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, from.y, { steps: 4 });
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
    const value = (id: string) => page.inputValue(id).then(Number);
    expect(Math.abs((await value('#dp-past-x')) + 60)).toBeLessThanOrEqual(2);
    expect(Math.abs((await value('#dp-current-x')) - 70)).toBeLessThanOrEqual(2);
    expect(Math.abs((await value('#dp-desired-y')) - 50)).toBeLessThanOrEqual(2);
    // The numeric inputs are the accessible alternative: typing moves the marker.
    await page.fill('#dp-desired-x', '60');
    expect(await page.locator('.marker-own[data-frame="desired"]').getAttribute('transform')).toBe('translate(320.0 300.0)');
    await screenshot(page, 'e2e-dialogue-laptop');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Plaatsingen opslaan")')]);
    expect((await page.locator('.notice-ok').first().textContent())?.trim()).toBe('Uw plaatsingen zijn opgeslagen.');

    const s = await login(server.app, email('director'), DEMO_PASSWORD);
    const mine = (await server.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/placements/me`, headers: staffHeaders(s) })).json();
    expect(mine.frames.past.quadrant).toBe('defensive');
    expect(mine.frames.current.quadrant).toBe('curative');
    expect(mine.frames.desired).toMatchObject({ x: 60, quadrant: 'preventive' });
    // Compared with the others: the table lists the director's own points and the group means.
    const rows = await page.locator('.compare-table tbody th').allTextContents();
    expect(rows[0]).toContain('Uw plaatsing');
    expect(rows.join(' | ')).toContain('Gemiddelde HR');
    // On the closed round, the employees' mean is there too.
    await page.goto(`${server.url}/app/rounds/${closedRoundId}/dialogue`);
    expect(await page.locator('.marker-group[data-key="employee-desired"]').count()).toBe(1);
    expect((await page.locator('.compare-table tbody th').allTextContents()).join(' | ')).toContain('Gemiddelde medewerkers');
    expect(await page.locator('button:has-text("Plaatsingen opslaan")').count()).toBe(0);
    expect(problems).toEqual([]);

    const phone = await newContext(browser, PHONE, { mobile: true });
    const p2 = await phone.newPage();
    await signIn(p2, server.url, email('director'), DEMO_PASSWORD);
    await p2.goto(`${server.url}/app/rounds/${roundId}/dialogue`);
    await screenshot(p2, 'e2e-dialogue-phone');
    await phone.close();
    await context.close();
  });

  it('the results dashboard shows the result model and has no serious or critical accessibility violations', async () => {
    for (const viewport of [LAPTOP, PHONE]) {
      const context = await newContext(browser, viewport, { mobile: viewport === PHONE });
      const page = await context.newPage();
      const problems = watchConsole(page);
      await signIn(page, server.url, email('consultant'), DEMO_PASSWORD);
      await page.goto(`${server.url}/app/rounds/${closedRoundId}/results`);
      await page.waitForSelector('canvas[data-chart="chart-radar"][data-rendered="true"]');
      // The figures are the result model's: the first mechanism's mean, as the reports format it.
      const s = await login(server.app, email('consultant'), DEMO_PASSWORD);
      const model = (await server.app.inject({ method: 'GET', url: `/api/v1/rounds/${closedRoundId}/results`, headers: staffHeaders(s) })).json();
      const first = model.mechanisms[0];
      const row = await page.locator('#mechanisms tbody tr').first().textContent();
      expect(row).toContain(first.name.nl);
      expect(row).toContain(first.score.mean.toFixed(1).replace('.', ','));
      // Facilitair has 3 respondents (under k = 5): listed as hidden, never with a figure.
      expect(await page.locator('.heatmap tr.row-hidden th', { hasText: 'Facilitair' }).count()).toBe(1);
      expect(await page.locator('.heatmap tr.row-hidden td').count()).toBeGreaterThan(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await screenshot(page, `e2e-results-${viewport === PHONE ? 'phone' : 'laptop'}`);
      await context.close();
    }
  });

  it('a consultant downloads the client report as PDF from the dashboard', async () => {
    const hasReports = server.app.hasRoute({ method: 'GET', url: '/api/v1/rounds/:roundId/reports/client.pdf' });
    if (!hasReports) {
      // The reports route is not in this build: the dashboard must then not offer the button.
      const context = await newContext(browser, LAPTOP);
      const page = await context.newPage();
      await signIn(page, server.url, email('consultant'), DEMO_PASSWORD);
      await page.goto(`${server.url}/app/rounds/${closedRoundId}/results`);
      expect(await page.locator('[data-testid="client-pdf"]').count()).toBe(0);
      await context.close();
      return;
    }
    const context = await newContext(browser, LAPTOP);
    const page = await context.newPage();
    await signIn(page, server.url, email('consultant'), DEMO_PASSWORD);
    await page.goto(`${server.url}/app/rounds/${closedRoundId}/results`);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid="client-pdf"]')]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    await context.close();
  }, 90_000);

  it('the sign-in page shows the demo logins and takes screenshots of the workspace pages', async () => {
    for (const viewport of [LAPTOP, PHONE]) {
      const tag = viewport === PHONE ? 'phone' : 'laptop';
      const context = await newContext(browser, viewport, { mobile: viewport === PHONE });
      const page = await context.newPage();
      await page.goto(`${server.url}/`);
      // Demo logins only on the embedded demo database (never on a PostgreSQL install).
      expect(await page.locator('.demo-logins li').count()).toBe(server.app.dbInfo.mode === 'embedded' ? 3 : 0);
      await screenshot(page, `e2e-login-${tag}`);
      await signIn(page, server.url, email('consultant'), DEMO_PASSWORD);
      await screenshot(page, `e2e-home-${tag}`);
      await page.goto(`${server.url}/app/rounds/${closedRoundId}/checklist`);
      await screenshot(page, `e2e-checklist-${tag}`);
      await page.goto(`${server.url}/app/branding`);
      await screenshot(page, `e2e-branding-${tag}`);
      await page.goto(`${server.url}/app/benchmarks`);
      await screenshot(page, `e2e-benchmarks-${tag}`);
      await context.close();
    }
  });
});
