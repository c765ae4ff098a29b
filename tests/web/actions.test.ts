// End to end in Chromium: HR creates an action from a priority of a closed round (with a validation
// error first, shown in Dutch next to the field), sets its status; the director sees the plan read-only;
// the next round's action page and dashboard show how the target statements moved; the results page
// links the Excel export. axe on the new pages; no horizontal overflow on a phone; screenshots at
// 1366x900 and 390x844 go to /tmp/lcs-actions-*.png.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/seed.js';
import { arrangeRound } from './arrange.js';
import { layoutProblems } from './layout-checks.js';
import { elementShot, hasChromium, LAPTOP, launchBrowser, newContext, PHONE, screenshot, seriousA11yViolations, signIn, startWebServer, watchConsole, type WebServer } from './helpers.js';

const email = (role: 'consultant' | 'hr' | 'director') => DEMO_LOGINS.find((l) => l.role === role)!.email;

describe.skipIf(!hasChromium)('action plans in Chromium', () => {
  let server: WebServer;
  let browser: Browser;
  let first: string;
  let second: string;

  beforeAll(async () => {
    server = await startWebServer({ demo: true });
    const orgId = server.demo!.organisationId;
    first = (await arrangeRound(server.app, server.db, { organisationId: orgId, email: email('hr'), password: DEMO_PASSWORD, name: 'Actieronde voorjaar', employees: 30, managers: 5 })).roundId;
    await server.db.updateTable('rounds').set({ closed_at: new Date(Date.now() - 86_400_000) }).where('id', '=', first).execute();
    second = (await arrangeRound(server.app, server.db, { organisationId: orgId, email: email('hr'), password: DEMO_PASSWORD, name: 'Actieronde najaar', employees: 30, managers: 5 })).roundId;
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('HR creates and updates an action; the director reads it; the next round shows the movement', async () => {
    const context = await newContext(browser, LAPTOP);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await signIn(page, server.url, email('hr'), DEMO_PASSWORD);
    await page.goto(`${server.url}/app/rounds/${first}`);
    await Promise.all([page.waitForURL(/\/actions$/), page.click('a.tile:has-text("Actieplan")')]);
    expect(await page.locator('h1').textContent()).toContain('Actieplan');
    expect(await page.locator('.empty').first().textContent()).toContain('Nog geen acties');

    // Submitting without a description: the Dutch message next to the field.
    await page.fill('#a-owner', 'Teamleider zorg');
    await Promise.all([page.waitForLoadState('load'), page.click('form.form-card button[type="submit"]')]);
    expect(await page.locator('#a-title').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#a-title-error').textContent()).toBe('Beschrijf de actie (1 tot 200 tekens).');
    expect(await page.inputValue('#a-owner')).toBe('Teamleider zorg');

    const mechanismId = await page.inputValue('#a-mechanismId');
    const items = await page.$$eval(`#a-itemIds option`, (os, mech) => os.filter((o) => (o.parentElement as HTMLOptGroupElement).label === mech).map((o) => (o as HTMLOptionElement).value), await page.locator('#a-mechanismId option:checked').evaluate((o) => o.textContent!.replace(/ \(prioriteit\)$/, '')));
    expect(items.length).toBeGreaterThan(1);
    await page.fill('#a-title', 'Maandelijks werkoverleg over de taakverdeling');
    await page.fill('#a-dueDate', '2026-06-30');
    await page.selectOption('#a-itemIds', items.slice(0, 2));
    await page.fill('#a-notes', 'Start na de zomer');
    await Promise.all([page.waitForURL(/done=created/), page.click('form.form-card button[type="submit"]')]);
    expect(await page.locator('.notice-ok').textContent()).toContain('Actie toegevoegd');
    const row = page.locator('table.action-table tbody tr').first();
    expect(await row.textContent()).toContain('Maandelijks werkoverleg over de taakverdeling');
    expect(await row.textContent()).toMatch(/30 juni? 2026/);
    expect(await page.locator('table.action-table .action-items li').count()).toBe(2);
    await row.locator('select[name="status"]').selectOption('in_progress');
    await Promise.all([page.waitForURL(/done=updated/), row.locator('button:has-text("Opslaan")').click()]);
    expect(await page.locator('table.action-table select[name="status"]').inputValue()).toBe('in_progress');
    const stored = await server.db.selectFrom('action_plan_actions').selectAll().where('round_id', '=', first).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ mechanism_id: mechanismId, status: 'in_progress', item_ids: items.slice(0, 2), owner: 'Teamleider zorg' });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'actions-hr-laptop');

    // The next round: the movement of the two statements, from published figures.
    await page.goto(`${server.url}/app/rounds/${second}/actions`);
    const progress = page.locator('.action-progress');
    expect(await progress.count()).toBe(1);
    expect(await progress.textContent()).toContain('Actieronde voorjaar');
    expect(await progress.locator('tbody tr').count()).toBe(2);
    expect(await progress.locator('[data-verdict]').count()).toBe(2);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'actions-progress-laptop');

    // The first round's dashboard shows the plan with its status, and links the Excel export.
    await page.goto(`${server.url}/app/rounds/${first}/results`);
    const plan = page.locator('section#actions');
    expect(await plan.textContent()).toContain('Maandelijks werkoverleg over de taakverdeling');
    expect(await plan.locator('.badge-action-in_progress').textContent()).toBe('Bezig');
    const xlsx = page.locator('[data-testid="results-xlsx"]');
    expect(await xlsx.textContent()).toBe('Resultaten als Excel');
    const res = await page.request.get(`${server.url}${await xlsx.getAttribute('href')}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('spreadsheetml');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await elementShot(plan, 'actions-dashboard-laptop');
    // Honest differences on the same dashboard: every heatmap value carries a verdict; arrows only for findings.
    const heat = page.locator('section#heatmap');
    expect(await heat.locator('[data-verdict]').count()).toBeGreaterThan(0);
    expect(await heat.locator('.heat-mark').count()).toBe(await heat.locator('.heat-mark[data-verdict="higher"], .heat-mark[data-verdict="lower"]').count());
    await elementShot(heat, 'actions-heatmap-laptop');
    await elementShot(page.locator('section#perspectives'), 'actions-perspectives-laptop');
    // The one 400 is the page answering the deliberately invalid form above.
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    expect(problems.filter((p) => p.includes('status of 400'))).toHaveLength(1);
    await context.close();

    // The director: the plan, read-only.
    const dctx = await newContext(browser, PHONE, { mobile: true });
    const dpage = await dctx.newPage();
    const dproblems = watchConsole(dpage);
    await signIn(dpage, server.url, email('director'), DEMO_PASSWORD);
    await dpage.goto(`${server.url}/app/rounds/${first}/actions`);
    expect(await dpage.locator('table.action-table tbody tr').count()).toBe(1);
    expect(await dpage.locator('form.form-card').count()).toBe(0);
    expect(await dpage.locator('select[name="status"]').count()).toBe(0);
    expect(await dpage.locator('.badge-action-in_progress').textContent()).toBe('Bezig');
    expect(await dpage.textContent('body')).toContain('HR en de adviseur passen het aan');
    expect(await dpage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousA11yViolations(dpage)).toEqual([]);
    await screenshot(dpage, 'actions-director-phone');
    await dpage.goto(`${server.url}/app/rounds/${second}/actions`);
    expect(await dpage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(dpage, 'actions-progress-phone');
    expect(dproblems).toEqual([]);
    await dctx.close();

    // HR on a phone: the form fits.
    const pctx = await newContext(browser, PHONE, { mobile: true });
    const ppage = await pctx.newPage();
    await signIn(ppage, server.url, email('hr'), DEMO_PASSWORD);
    await ppage.goto(`${server.url}/app/rounds/${first}/actions`);
    expect(await ppage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousA11yViolations(ppage)).toEqual([]);
    await screenshot(ppage, 'actions-hr-phone');
    await pctx.close();
  }, 240_000);

  it('HR edits the action in a form (errors in Dutch naming the field); axe and layout at both viewports; no edit link for the director', async () => {
    for (const [label, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
      const context = await newContext(browser, viewport, { mobile: viewport === PHONE });
      const page = await context.newPage();
      const problems = watchConsole(page);
      await signIn(page, server.url, email('hr'), DEMO_PASSWORD);
      await page.goto(`${server.url}/app/rounds/${first}/actions`);
      await Promise.all([page.waitForURL(/\/edit$/), page.click('[data-testid="action-edit"]')]);
      expect(await page.locator('h1').textContent()).toBe('Actie bewerken');
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(await layoutProblems(page)).toEqual([]);
      await screenshot(page, `actions-edit-${label}`);
      await page.fill('#e-owner', '');
      await Promise.all([page.waitForLoadState('load'), page.click('[data-testid="action-edit-form"] button[type="submit"]')]);
      expect(await page.locator('#e-owner').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#e-owner-error').textContent()).toBe('Vul een eigenaar in (1 tot 120 tekens).');
      expect(await page.locator('.notice-error').textContent()).toContain('Eigenaar');
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(await layoutProblems(page)).toEqual([]);
      await screenshot(page, `actions-edit-error-${label}`);
      await page.fill('#e-owner', `Eigenaar ${label}`);
      await page.fill('#e-title', `Werkoverleg (${label})`);
      await page.selectOption('#e-status', 'done');
      const boxes = page.locator('#e-itemIds input[type=checkbox]');
      await boxes.nth(0).uncheck();
      await Promise.all([page.waitForURL(/done=updated/), page.click('[data-testid="action-edit-form"] button[type="submit"]')]);
      expect(await page.locator('table.action-table tbody tr').first().textContent()).toContain(`Werkoverleg (${label})`);
      const stored = await server.db.selectFrom('action_plan_actions').selectAll().where('round_id', '=', first).executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ title: `Werkoverleg (${label})`, owner: `Eigenaar ${label}`, status: 'done' });
      expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
      await context.close();
    }
    const dctx = await newContext(browser, PHONE, { mobile: true });
    const dpage = await dctx.newPage();
    await signIn(dpage, server.url, email('director'), DEMO_PASSWORD);
    await dpage.goto(`${server.url}/app/rounds/${first}/actions`);
    expect(await dpage.locator('[data-testid="action-edit"]').count()).toBe(0);
    const id = (await server.db.selectFrom('action_plan_actions').select('id').where('round_id', '=', first).executeTakeFirstOrThrow()).id;
    const res = await dpage.goto(`${server.url}/app/rounds/${first}/actions/${id}/edit`);
    expect(res?.status()).toBe(403);
    await dctx.close();
    const events = await server.db.selectFrom('audit_events').select('action').where('round_id', '=', first).where('action', 'like', 'action.%').execute();
    expect(events.map((e) => e.action).sort()).toEqual(['action.create', 'action.update', 'action.update', 'action.update']);
    // The audit page lists the action writes, in Dutch, and passes axe and the layout check at both sizes.
    for (const [label, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
      const actx = await newContext(browser, viewport, { mobile: viewport === PHONE });
      const apage = await actx.newPage();
      await signIn(apage, server.url, email('hr'), DEMO_PASSWORD);
      await apage.goto(`${server.url}/app/audit`);
      const text = await apage.locator('main').textContent();
      expect(text).toContain('Actie toegevoegd');
      expect(text).toContain('Actie gewijzigd');
      expect(text).toContain('Werkoverleg (phone): title, owner');
      expect(await seriousA11yViolations(apage)).toEqual([]);
      expect(await layoutProblems(apage)).toEqual([]);
      await screenshot(apage, `actions-audit-${label}`);
      await actx.close();
    }
  }, 180_000);
});
