// End to end in Chromium: HR invites three addresses, opens the Outbox, a respondent follows the link
// from the stored message and submits, HR sees 1 of 3 and sends a reminder that reaches the other two
// (and HR never sees who). Screenshots of the new pages at laptop and phone size go to /tmp/lcs-inv-*.png.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/seed.js';
import { login, staffHeaders } from '../helpers/auth.js';
import { hasChromium, LAPTOP, launchBrowser, newContext, PHONE, screenshot, signIn, startWebServer, watchConsole, type WebServer } from './helpers.js';

const email = (role: 'consultant' | 'hr' | 'director') => DEMO_LOGINS.find((l) => l.role === role)!.email;

describe.skipIf(!hasChromium)('invitations mailed by the platform, in Chromium', () => {
  let server: WebServer;
  let browser: Browser;
  let orgId: string;

  beforeAll(async () => {
    server = await startWebServer({ demo: true });
    orgId = server.demo!.organisationId;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The stored link, pointed at the test server (its PUBLIC_URL has no real port). */
  const local = (link: string) => link.replace(/^https?:\/\/[^/]+/, server.url);

  async function answerPage(page: Page, pick: (i: number) => string) {
    const names = await page.$$eval('fieldset.question input[type=radio]', (els) => [...new Set(els.map((e) => (e as HTMLInputElement).name))]);
    for (const [i, name] of names.entries()) await page.locator(`label.choice:has(input[name="${name}"][value="${pick(i)}"])`).click();
  }

  it('HR invites three, the respondent follows the mailed link and submits, HR sees 1 of 3 and reminds the other two', async () => {
    const s = await login(server.app, email('hr'), DEMO_PASSWORD);
    const created = await server.app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${orgId}/rounds`,
      headers: staffHeaders(s),
      payload: { name: 'Uitnodigingen E2E', modules: ['culture_scan'], languages: ['nl', 'en'], departments: ['Zorg', 'Techniek'], anonymityThreshold: 5, closesAt: '2099-06-30T16:00:00.000Z' },
    });
    const roundId = created.json().id as string;
    expect((await server.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/open`, headers: staffHeaders(s) })).statusCode).toBe(200);

    const context = await newContext(browser, LAPTOP);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await signIn(page, server.url, email('hr'), DEMO_PASSWORD);
    await page.goto(`${server.url}/app/rounds/${roundId}`);
    // Staff without email: the shared link also as a QR code, shown with the link (once).
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Gedeelde link maken")')]);
    expect(await page.locator('.qr-code svg path').count()).toBeGreaterThan(0);
    expect(await page.inputValue('#shared-link')).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    await screenshot(page, 'inv-shared-qr-laptop');
    await page.goto(`${server.url}/app/rounds/${roundId}`);
    await page.fill('#addresses', 'anna@example.nl\nbram@example.nl\ncees@example.nl');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Uitnodigingen versturen")')]);
    expect(await page.locator('.notice-ok').textContent()).toContain('3 uitnodigingen');
    // The page shows counts, not links.
    expect(await page.content()).not.toMatch(/\/s\/[A-Za-z0-9_-]{43}/);

    // The job sends them (the test server does not run the timer; this is the same turn it runs).
    const turn = await server.app.mail.runOnce();
    expect(turn.sent).toBe(3);
    await page.goto(`${server.url}/app/rounds/${roundId}`);
    expect(await page.locator('[data-testid="mail-batches"] li[data-batch-kind="invitation"]').getAttribute('data-batch-status')).toBe('sent');
    await screenshot(page, 'inv-round-laptop');

    // The Outbox, from the navigation.
    await Promise.all([page.waitForURL('**/app/outbox'), page.click('nav.main-nav a[href="/app/outbox"]')]);
    const rows = page.locator('table[data-testid="outbox"] tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await page.locator('table[data-testid="outbox"]').textContent()).toContain('anna@example.nl');
    await screenshot(page, 'inv-outbox-laptop');
    await Promise.all([page.waitForURL('**/app/outbox/*'), page.locator('tr:has-text("anna@example.nl") a').first().click()]);
    const text = await page.locator('[data-testid="message-text"]').textContent();
    expect(text).toContain('Beste collega');
    expect(text).toMatch(/anoniem/);
    expect(text).toContain('Demo');
    await screenshot(page, 'inv-message-laptop');
    const link = local((await page.locator('[data-testid="message-link"]').first().getAttribute('href'))!);

    // The respondent, on a phone, follows the link from the stored message and submits.
    const phone = await newContext(browser, PHONE, { mobile: true });
    const rp = await phone.newPage();
    await rp.goto(link);
    expect(new URL(rp.url()).pathname).toBe('/survey');
    await rp.locator('label.choice:has(input[name="language"][value="nl"])').click();
    await Promise.all([rp.waitForURL('**/survey/self_direction'), rp.click('button[value="next"]')]);
    for (let pages = 0; !new URL(rp.url()).pathname.endsWith('/survey/review'); pages++) {
      expect(pages).toBeLessThan(12);
      // Background questions are optional: left out here.
      if (!rp.url().endsWith('/survey/background')) await answerPage(rp, (i) => String((i % 5) + 1));
      await Promise.all([rp.waitForNavigation(), rp.click('button[value="next"]')]);
    }
    await Promise.all([rp.waitForLoadState('load'), rp.click('button[value="submit"]')]);
    expect((await rp.locator('h1').first().textContent())?.trim()).toBe('Hartelijk dank!');
    await phone.close();

    // HR does not see "1 of 3": both are counts under k, withheld by the anonymity rules (issue 10).
    await page.goto(`${server.url}/app/rounds/${roundId}`);
    const stats = page.locator('[data-testid="rates"] .stat .big-number');
    expect((await stats.nth(0).textContent())?.trim()).toBe('verborgen');
    expect((await page.locator('[data-testid="submitted-total"]').first().textContent())?.trim()).toBe('verborgen');

    // A reminder now: it reaches the other two; HR sees how many, not who.
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Nu herinneren")')]);
    expect((await server.app.mail.runOnce()).sent).toBe(2);
    const reminded = await server.db
      .selectFrom('mail_messages')
      .innerJoin('mail_batches', 'mail_batches.id', 'mail_messages.batch_id')
      .select(['mail_messages.to_address', 'mail_messages.status'])
      .where('mail_messages.round_id', '=', roundId)
      .where('mail_batches.kind', '=', 'reminder')
      .orderBy('mail_messages.to_address')
      .execute();
    const annaSubmitted = reminded.every((r) => r.to_address !== new URL(link).pathname); // sanity: never the link
    expect(annaSubmitted).toBe(true);
    expect(reminded.map((r) => r.status)).toEqual(['sent', 'sent']);
    const recipients = reminded.map((r) => r.to_address);
    expect(recipients).toHaveLength(2);
    const openedFor = (await server.db.selectFrom('mail_messages').select('to_address').where('round_id', '=', roundId).where('text_body', 'like', `%${new URL(link).pathname}%`).execute()).map((r) => r.to_address);
    expect(openedFor).toEqual(['anna@example.nl']);
    expect(recipients).toEqual(['bram@example.nl', 'cees@example.nl']);
    await page.goto(`${server.url}/app/rounds/${roundId}`);
    const reminderBatch = page.locator('[data-testid="mail-batches"] li[data-batch-kind="reminder"]');
    expect(await reminderBatch.getAttribute('data-batch-status')).toBe('sent');
    expect(await reminderBatch.textContent()).toContain('2 herinnerd');
    await page.goto(`${server.url}/app/outbox?roundId=${roundId}`);
    const reminderRows = page.locator('table[data-testid="outbox"] tbody tr[data-kind="reminder"]');
    expect(await reminderRows.count()).toBe(2);
    for (const row of await reminderRows.all()) expect(await row.textContent()).toContain('verborgen');
    expect(problems).toEqual([]);

    // The new pages at phone size.
    const small = await newContext(browser, PHONE, { mobile: true });
    const sp = await small.newPage();
    await signIn(sp, server.url, email('hr'), DEMO_PASSWORD);
    await sp.goto(`${server.url}/app/rounds/${roundId}`);
    await screenshot(sp, 'inv-round-phone');
    await sp.goto(`${server.url}/app/outbox`);
    await screenshot(sp, 'inv-outbox-phone');
    await small.close();
    await context.close();
  }, 180_000);
});
